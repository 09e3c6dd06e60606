"""The anonymity rules of the standard survey columns, one rule at a time (rpdesk.importers.anonymity)."""

from __future__ import annotations

import pytest

from rpdesk.importers.anonymity import age_band, key_problem, mask_contacts, street_problem


@pytest.mark.parametrize("key", ["R001", "AUT26-017", "2026/5", "2026-000123", "p-9001", "door 17 a", "F1000"])
def test_codes_are_keys(key):
    assert key_problem(key) is None


@pytest.mark.parametrize(
    "key",
    [
        "John Smith",
        "John Smith 4",
        "Smith",
        "J. Smith 1",
        "smith, john 2",
        "07700 900123",
        "+44 7700 900123",
        "jo@example.org",
        "R" + "1" * 64,
    ],
)
def test_names_contacts_and_long_keys_are_not(key):
    assert "anonymous code" in (key_problem(key) or "")


@pytest.mark.parametrize("street", ["High Street", "A38 Bristol Road", "1st Avenue", "Flat Lane", "St John's Road"])
def test_street_names(street):
    assert street_problem(street) is None


@pytest.mark.parametrize(
    "street",
    [
        "12 High Street",
        "High Street 12",
        "Rose Court no. 12",
        "Rose Court No.12",
        "Flat 3 Rose Court",
        "12a Mill Rd",
        "Flat B, Rose Court",
        "Unit 5 Trade Park",
        "Church Lane BS1 4DJ",
        "Apartment 4, The Maltings",
    ],
)
def test_addresses(street):
    assert street_problem(street) is not None


def test_age_bands_only_from_the_list():
    assert [age_band(t) for t in ("16-24", "16 to 24", "35—44", "75+", "75 plus", "over 75", "65+", "18-24")] == [
        "16-24",
        "16-24",
        "35-44",
        "75+",
        "75+",
        "75+",
        "65+",
        "18-24",
    ]
    assert age_band("Prefer not to say") is None
    for bad in ("42", "01/02/1980", "1980-02-01", "10-15", "adult"):
        with pytest.raises(ValueError, match="age bands"):
            age_band(bad)


def test_masking_counts_what_it_masked_and_leaves_dates_and_references():
    masked = mask_contacts("a@b.co.uk and c.d+e@f.org; 0117 496 0000; 07700900123; 1/9/2026; CAD 1234; 2026-09-01")
    assert masked.text == (
        "[e-mail address removed] and [e-mail address removed]; [phone number removed]; [phone number removed]; "
        "1/9/2026; CAD 1234; 2026-09-01"
    )
    assert (masked.phones, masked.emails) == (2, 2)
