// The libzmq C API, as the Swift binding (target ZMQ) sees it.
#ifndef ZGUIDE_CLIBZMQ_SHIM_H
#define ZGUIDE_CLIBZMQ_SHIM_H
#include <zmq.h>
#endif
