"""The check-in QR code as inline SVG: no image file, crisp when projected."""

import qrcode
import qrcode.image.svg


def qr_svg(data: str) -> str:
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    # Strip the XML declaration: the SVG goes inside the HTML page.
    return svg.split("?>", 1)[-1].strip()
