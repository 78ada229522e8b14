/* qr.h: QR codes as vector rectangles (the only user of libqrencode).
 *
 * Owns: encoding a web address and turning its dark modules into filled
 * rectangles (one per horizontal run), so the code prints sharp at any size
 * and adds no image to the PDF.
 */
#ifndef HD_QR_H
#define HD_QR_H

#include "arena.h"
#include "diag.h"
#include "layout.h"

/* Draw a QR code for `text` with its top-left corner at (x, y) and the given
 * side length (quiet zone included). Returns HD_OK or an error at `at`. */
hd_status hd_qr_ops(hd_arena *a, hd_diags *d, const char *text, double x, double y, double side, hd_rgb color,
                    hd_pos at, hd_oplist *out);

#endif
