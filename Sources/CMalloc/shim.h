#ifndef EVALGATE_CMALLOC_SHIM_H
#define EVALGATE_CMALLOC_SHIM_H
// glibc's allocator settings (mallopt), which Swift's Glibc module leaves out; absent elsewhere.
#if __has_include(<malloc.h>) && defined(__linux__)
#include <malloc.h>
#endif
#endif
