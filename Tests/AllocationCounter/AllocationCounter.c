#include "AllocationCounter.h"

#include <errno.h>   // first: a libc header, which defines __GLIBC__ on glibc
#include <stddef.h>

// A sanitizer (scripts/sanitize) brings its own malloc, which must stay the
// process's: under one, the counter is off and its tests are skipped.
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define ZGUIDE_UNDER_SANITIZER 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define ZGUIDE_UNDER_SANITIZER 1
#endif

#if defined(__linux__) && defined(__GLIBC__) && !defined(ZGUIDE_UNDER_SANITIZER)

// glibc's allocator under its internal names, which stay reachable when the
// public names are taken over by the definitions below.
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);
extern void __libc_free(void *pointer);

// initial-exec: reading these never allocates (no lazy TLS set-up inside malloc).
static __thread int counting __attribute__((tls_model("initial-exec")));
static __thread long allocations __attribute__((tls_model("initial-exec")));

static inline void note(void)
{
    if (counting) allocations++;
}

void *malloc(size_t size)
{
    note();
    return __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    note();
    return __libc_calloc(count, size);
}

void *realloc(void *pointer, size_t size)
{
    note();
    return __libc_realloc(pointer, size);
}

void free(void *pointer)
{
    __libc_free(pointer);
}

void *memalign(size_t alignment, size_t size)
{
    note();
    return __libc_memalign(alignment, size);
}

void *aligned_alloc(size_t alignment, size_t size)
{
    note();
    return __libc_memalign(alignment, size);
}

int posix_memalign(void **result, size_t alignment, size_t size)
{
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0) return EINVAL;
    note();
    void *pointer = __libc_memalign(alignment, size);
    if (!pointer) return ENOMEM;
    *result = pointer;
    return 0;
}

void allocation_counter_start(void)
{
    allocations = 0;
    counting = 1;
}

long allocation_counter_stop(void)
{
    counting = 0;
    return allocations;
}

int allocation_counter_supported(void)
{
    return 1;
}

#else

int allocation_counter_supported(void) { return 0; }
void allocation_counter_start(void) {}
long allocation_counter_stop(void) { return 0; }

#endif
