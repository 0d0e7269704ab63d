"""Page geometry shared by the PDF template and the signer: where the cover keeps room for a
visible signature.

The cover reserves an empty box at the bottom right of its content area, above the page footer;
`auditor sign --visible` draws the signature appearance into exactly that box, so the stamp never
covers report text nor the footer. Units are PDF points (1/72 inch), origin bottom left, A4.
"""

from __future__ import annotations

MM = 72 / 25.4
PAGE_WIDTH, PAGE_HEIGHT = 210 * MM, 297 * MM  # A4
COVER_MARGIN_X, COVER_MARGIN_Y = 20 * MM, 25 * MM  # print.css: @page cover { margin: 25mm 20mm }
SIGNATURE_WIDTH, SIGNATURE_HEIGHT = 200.0, 60.0

# (x1, y1, x2, y2) of the signature box on the cover: bottom right corner of the content area.
SIGNATURE_BOX = (
    round(PAGE_WIDTH - COVER_MARGIN_X - SIGNATURE_WIDTH, 2),
    round(COVER_MARGIN_Y, 2),
    round(PAGE_WIDTH - COVER_MARGIN_X, 2),
    round(COVER_MARGIN_Y + SIGNATURE_HEIGHT, 2),
)
