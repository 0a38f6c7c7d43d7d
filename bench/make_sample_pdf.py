"""Write static/samples/sample.pdf: a tiny two-page PDF (one big digit per page) for the <Pdf> tag's
preview and tests. Run: python bench/make_sample_pdf.py [out.pdf]"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image, ImageDraw


def make(out: Path) -> Path:
    pages = []
    for number, colour in ((1, (220, 235, 255)), (2, (255, 230, 210))):
        page = Image.new("RGB", (200, 260), colour)
        draw = ImageDraw.Draw(page)
        draw.rectangle((20, 20, 180, 240), outline=(40, 40, 40), width=3)
        draw.text((90, 120), f"Page {number}", fill=(0, 0, 0))
        pages.append(page)
    pages[0].save(out, "PDF", resolution=72, save_all=True, append_images=pages[1:])
    return out


if __name__ == "__main__":
    make(
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[1] / "static" / "samples" / "sample.pdf"
    )
