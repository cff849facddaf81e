#include "CLineBuffer.h"
#include <stdio.h>

// The scenario tests read every example's output through a pipe. Without this,
// stdio would buffer a pipe fully and nothing would show until the program ends.
void zguide_line_buffer_stdout(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
}

__attribute__((constructor))
static void zguide_line_buffer_at_load(void) {
    zguide_line_buffer_stdout();
}
