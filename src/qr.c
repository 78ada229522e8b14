/* qr.c: QR codes as vector rectangles (see qr.h). */
#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <string.h>

hd_status hd_qr_ops(hd_arena *a, hd_diags *d, const char *text, double x, double y, double side, hd_rgb color,
                    hd_pos at, hd_oplist *out) {
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
    if (!q)
        return hd_error(d, errno == ENOMEM ? HD_ERR_SYSTEM : HD_ERR_CONTENT, at,
                        "cannot make a QR code of '%s' (%s); use a shorter web address", text, strerror(errno));
    int n = q->width, quiet = 4;
    double m = side / (n + 2 * quiet);
    /* white background with the quiet zone, then dark runs */
    hd_op *bg = hd_oplist_push(a, out);
    bg->kind = HD_OP_RECT;
    bg->x = x, bg->y = y, bg->w = side, bg->h = side;
    bg->fill = (hd_rgb){1, 1, 1};
    bg->filled = 1;
    bg->role = HD_ROLE_ARTIFACT;
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < n;) {
            if (!(q->data[r * n + c] & 1)) {
                c++;
                continue;
            }
            int e = c;
            while (e < n && (q->data[r * n + e] & 1)) e++;
            hd_op *op = hd_oplist_push(a, out);
            op->kind = HD_OP_RECT;
            /* a hair of overlap so no seams show between runs */
            op->x = x + (quiet + c) * m;
            op->y = y + (quiet + r) * m;
            op->w = (e - c) * m;
            op->h = m + 0.05;
            op->fill = color;
            op->filled = 1;
            op->role = HD_ROLE_ARTIFACT;
            c = e;
        }
    }
    QRcode_free(q);
    return HD_OK;
}
