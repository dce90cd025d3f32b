/* publish/editions.h — private to publish/: the editions a reports
 * folder holds (publish/publish.c names every folder). */
#ifndef UF_PUBLISH_EDITIONS_H
#define UF_PUBLISH_EDITIONS_H

#include "publish/publish.h"

extern const char uf_publish_earlier[]; /* "tidigare": where an edition keeps those it replaced */
/* The editions of a period found in the reports folder: the current one,
 * those in tidigare/, and any displaced one a killed run left beside it. */
typedef enum { UF_EDITION_CURRENT, UF_EDITION_EARLIER, UF_EDITION_DISPLACED } uf_edition_kind;
typedef struct {
    char *dir;
    uf_edition_kind kind;
} uf_edition_dir;
size_t uf_publish_editions(const char *reports, const char *work, uf_month period,
                           uf_edition_dir **v);
void uf_publish_editions_free(uf_edition_dir *v, size_t n);

#endif
