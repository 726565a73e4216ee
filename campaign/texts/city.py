"""Texts of the city scale (issue 9): the county selector."""

TEXTS = {
    "city.county": ("县区", "County"),
    "city.whole_city": ("全市（统一排名）", "Whole city (one ranking)"),
    "city.county_help": ("全市有多个县区时，排名在所选县区内比较。", "With several counties, units are ranked within the chosen county."),
}
