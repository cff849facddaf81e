// Counts the heap allocations made by one thread, for the tests that pin the
// binding's hot path (Tests/ZMQTests/HotPathAllocationTests.swift).
//
// The test executable defines malloc, calloc, realloc and the aligned
// variants itself; the dynamic linker then routes every allocation in the
// process (Swift runtime, libzmq, libc's callers) through them, and they
// forward to glibc's own allocator. Counting is per thread and off unless
// the thread asks for it, so the other tests running at the same time are
// neither counted nor slowed beyond one thread-local test per allocation.
#ifndef ZGUIDE_ALLOCATION_COUNTER_H
#define ZGUIDE_ALLOCATION_COUNTER_H

/// Whether this platform can count (glibc). Whether the definitions really
/// became the process's malloc is for the caller to check, by counting an
/// allocation made in another library (the Swift runtime, say).
int allocation_counter_supported(void);

/// Starts counting the calling thread's allocations from zero.
void allocation_counter_start(void);

/// Stops counting on the calling thread and returns the count since the start.
long allocation_counter_stop(void);

#endif
