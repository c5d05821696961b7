#ifndef EVALGATE_CLIBXML2_SHIM_H
#define EVALGATE_CLIBXML2_SHIM_H
// libxml2 pulls in the system ICU headers when built with ICU; they clash with the copy of ICU that
// Foundation carries. evalgate never touches libxml2's ICU converters, so the ICU parts are left out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#endif
