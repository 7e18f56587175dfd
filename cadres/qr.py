"""QR codes as inline SVG: one path of horizontal runs, a few kilobytes each,
so a printed page of activation slips needs neither images nor JavaScript."""

import qrcode
from django.utils.html import format_html

QUIET_MODULES = 2


def qr_svg(data: str, *, label: str, size_mm: int = 30):
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(
                    f"M{start + QUIET_MODULES},{y + QUIET_MODULES}h{x - start}v1h-{x - start}z"
                )
            else:
                x += 1
    side = len(matrix) + 2 * QUIET_MODULES
    return format_html(
        '<svg class="qr" role="img" aria-label="{}" width="{}mm" height="{}mm" '
        'viewBox="0 0 {} {}" xmlns="http://www.w3.org/2000/svg" shape-rendering="crispEdges">'
        '<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="{}"/></svg>',
        label,
        str(size_mm),
        str(size_mm),
        str(side),
        str(side),
        "".join(runs),
    )
