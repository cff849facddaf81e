// Makes standard output line-buffered for every program that links this target.
#ifndef ZGUIDE_CLINEBUFFER_H
#define ZGUIDE_CLINEBUFFER_H
/// Sets standard output to line buffering. Called automatically at load time;
/// exposed so that a program may call it again after redirecting stdout.
void zguide_line_buffer_stdout(void);
#endif
