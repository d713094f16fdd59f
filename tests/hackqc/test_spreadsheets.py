import pytest

from hackqc.spreadsheets import safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://evil")', '\'=HYPERLINK("http://evil")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("Vélo futé", "Vélo futé"),
        (-0.5, -0.5),
        (3, 3),
        ("", ""),
    ],
)
def test_safe_cell_quotes_formulas_only(value, expected):
    assert safe_cell(value) == expected
