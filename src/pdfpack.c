/* pdfpack.c: object streams, full compression and a stable /ID (see
 * pdfpack.h), through qpdf's C API. One qpdf_data per call: thread-safe. */
#include "pdfpack.h"

#include <qpdf/qpdf-c.h>
#include <string.h>

static hd_status qfail(qpdf_data q, hd_diags *d, const char *what) {
    const char *msg = "unknown error";
    if (qpdf_has_error(q)) {
        qpdf_error e = qpdf_get_error(q);
        msg = qpdf_get_error_full_text(q, e);
    }
    return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "packing the PDF failed while %s: %s", what, msg);
}

hd_status hd_pdf_pack(hd_arena *a, hd_diags *d, const unsigned char *in, size_t len, unsigned char **out,
                      size_t *out_len) {
    *out = NULL;
    *out_len = 0;
    qpdf_data q = qpdf_init();
    if (!q) return hd_error(d, HD_ERR_SYSTEM, hd_pos_at(NULL, 0, 0), "out of memory packing the PDF");
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    hd_status s = HD_OK;
    if (qpdf_read_memory(q, "handout.pdf", (const char *)in, (unsigned long long)len, NULL) & QPDF_ERRORS)
        s = qfail(q, d, "reading the painter's output");
    else if (qpdf_init_write_memory(q) & QPDF_ERRORS)
        s = qfail(q, d, "starting to write");
    if (s == HD_OK) {
        qpdf_set_object_stream_mode(q, qpdf_o_generate);
        qpdf_set_compress_streams(q, QPDF_TRUE);
        qpdf_set_decode_level(q, qpdf_dl_none); /* the painter's streams come uncompressed: deflated once, here */
        qpdf_set_deterministic_ID(q, QPDF_TRUE);
        if (qpdf_write(q) & QPDF_ERRORS) s = qfail(q, d, "writing");
    }
    if (s == HD_OK) {
        size_t n = qpdf_get_buffer_length(q);
        unsigned char *buf = hd_alloc(a, n ? n : 1);
        memcpy(buf, qpdf_get_buffer(q), n);
        *out = buf;
        *out_len = n;
    }
    qpdf_cleanup(&q);
    return s;
}
