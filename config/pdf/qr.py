"""QR codes drawn into a PDF: certificates (the verification address) and
activation slips (the activation page with the username)."""

import qrcode
from reportlab.lib import colors
from reportlab.platypus import Flowable


class QRCodeFlowable(Flowable):
    """A QR code as one filled path: a rectangle per horizontal run of dark
    modules, a single fill operator, instead of one drawing object per module.
    The path is drawn in module units (small integers) under one scaling, so
    each of its few hundred rectangles costs a few bytes, not four decimals."""

    def __init__(self, data: str, size: float):
        super().__init__()
        # A fixed mask: choosing the "best" of eight costs more than the rest of
        # the page, and any mask is valid and scans.
        code = qrcode.QRCode(
            error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=2
        )
        code.add_data(data)
        code.make(fit=True)
        self.matrix = code.get_matrix()
        self.size = size
        self.width = self.height = size

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        count = len(self.matrix)
        quiet = 2  # modules of white margin inside the box
        module = self.size / (count + 2 * quiet)
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(colors.white)
        canvas.rect(0, 0, self.size, self.size, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.translate(quiet * module, quiet * module)
        canvas.scale(module, module)
        path = canvas.beginPath()
        for row_index, row in enumerate(self.matrix):
            y = count - 1 - row_index
            col = 0
            while col < count:
                if row[col]:
                    start = col
                    while col < count and row[col]:
                        col += 1
                    path.rect(start, y, col - start, 1)
                else:
                    col += 1
        canvas.drawPath(path, stroke=0, fill=1)
        canvas.restoreState()
