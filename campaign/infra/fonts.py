"""The one CJK font every printed thing uses (PDF, PNG, charts): Noto Sans SC from pylopdf-fonts-zh-cn.

The font ships inside a PyPI package, so nothing is fetched at run time and the same glyphs
appear in the letters' and the bulletin's PDFs, PNGs and matplotlib charts.
"""

from functools import lru_cache

import pylopdf_fonts_zh_cn

FAMILY = "cjk"


def font_path() -> str:
    return str(pylopdf_fonts_zh_cn.sans_path())


def new_pdf(orientation: str = "P"):
    """An A4 fpdf2 document with the CJK font registered under FAMILY."""
    from fpdf import FPDF

    pdf = FPDF(orientation=orientation, unit="mm", format="A4")
    pdf.add_font(FAMILY, "", font_path())
    # The subset's bounding boxes need no recomputation from every glyph's outline (a third of the output's time):
    # the font's own are kept, which only makes them a little larger than the subset's glyphs.
    pdf.fonts[FAMILY].ttfont.recalcBBoxes = False
    pdf.set_font(FAMILY, size=11)
    return pdf


@lru_cache(maxsize=32)
def pil_font(size: int):
    """The CJK font for Pillow at a pixel size."""
    from PIL import ImageFont

    return ImageFont.truetype(font_path(), size)


@lru_cache(maxsize=1)
def matplotlib_family() -> str:
    """Register the CJK font with matplotlib (Agg, no browser, no display) and return its family name."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager

    font_manager.fontManager.addfont(font_path())
    return font_manager.FontProperties(fname=font_path()).get_name()
