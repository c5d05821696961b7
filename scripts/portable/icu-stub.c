/*
 * Stand-ins for the ICU converter calls in Debian's static libxml2 (scripts/build-release, PORTABLE=1).
 *
 * libxml2 converts a document's character encoding with its built-in UTF-8/UTF-16/Latin-1 code first,
 * then glibc's iconv, and only then ICU. Linking the real ICU in for that last resort would add its
 * 31 MB data table to the binary; instead, opening an ICU converter fails here (as it does for an
 * unknown encoding), so libxml2 falls back exactly as it does without ICU. evalgate writes and reads
 * UTF-8 only. ICU_SUFFIX is the version suffix of the ICU libxml2 was built against (e.g. _72).
 */
#include <stddef.h>

#define EVALGATE_CAT(a, b) a##b
#define EVALGATE_XCAT(a, b) EVALGATE_CAT(a, b)
#define ICU(name) EVALGATE_XCAT(name, ICU_SUFFIX)

enum { U_FILE_ACCESS_ERROR = 4, U_UNSUPPORTED_ERROR = 16 };

static void fail(int *status) {
  if (status != NULL && *status <= 0) *status = U_UNSUPPORTED_ERROR;
}

void *ICU(ucnv_open)(const char *name, int *status) {
  (void)name;
  if (status != NULL && *status <= 0) *status = U_FILE_ACCESS_ERROR;
  return NULL;
}

void ICU(ucnv_close)(void *converter) { (void)converter; }

void ICU(ucnv_convertEx)(void *target_converter, void *source_converter, char **target,
                         const char *target_limit, const char **source, const char *source_limit,
                         void *pivot_start, void **pivot_source, void **pivot_target,
                         const void *pivot_limit, signed char reset, signed char flush, int *status) {
  (void)target_converter, (void)source_converter, (void)target, (void)target_limit, (void)source;
  (void)source_limit, (void)pivot_start, (void)pivot_source, (void)pivot_target, (void)pivot_limit;
  (void)reset, (void)flush;
  fail(status);
}

void ICU(ucnv_setFromUCallBack)(void *converter, void *action, const void *context, void **old_action,
                                const void **old_context, int *status) {
  (void)converter, (void)action, (void)context, (void)old_action, (void)old_context;
  fail(status);
}

void ICU(ucnv_setToUCallBack)(void *converter, void *action, const void *context, void **old_action,
                              const void **old_context, int *status) {
  (void)converter, (void)action, (void)context, (void)old_action, (void)old_context;
  fail(status);
}

void ICU(UCNV_FROM_U_CALLBACK_STOP)(void) {}

void ICU(UCNV_TO_U_CALLBACK_STOP)(void) {}
