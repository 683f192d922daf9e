"""The portal's redaction of free text: ID-like numbers, mobile numbers and names."""

from aidbridge.portal.redact import MASK, redact


def test_resident_ids_of_18_and_15_characters_are_masked():
    assert redact("身份证513422197001011234号") == f"身份证{MASK}号"
    assert redact("ID 51342219700101123X.") == f"ID {MASK}."
    assert redact("id 51342219700101123x") == f"id {MASK}"
    assert redact("老证513422700101123") == f"老证{MASK}"


def test_masked_ids_are_masked_whole():
    assert redact("证号5134**********123X。") == f"证号{MASK}。"


def test_full_width_digits_and_longer_runs_are_masked_too():
    assert redact("５１３４２２１９７００１０１１２３４") == MASK
    assert redact("户号5134221000010001") == f"户号{MASK}"  # a household number


def test_mobile_numbers_are_masked_with_or_without_separators():
    assert redact("电话13812345678联系") == f"电话{MASK}联系"
    assert redact("tel 138-1234-5678, 139 1234 5678") == f"tel {MASK}, {MASK}"


def test_ordinary_numbers_stay():
    text = "2024年需要3000元，共12户，编号12345678901234"  # 14 digits: not an ID
    assert redact(text) == text
    assert redact("23812345678") == "23812345678"  # 11 digits, not a mobile


def test_names_are_masked_longest_first_and_single_characters_ignored():
    assert redact("吉克阿依和吉克的孩子", ["吉克", "吉克阿依"]) == f"{MASK}和{MASK}的孩子"
    assert redact("王家的王秀英", ["王", " 王秀英 "]) == f"王家的{MASK}"
    assert redact("a.b*c", ["a.b"]) == f"{MASK}*c"  # names are not patterns


def test_empty_text():
    assert redact("") == "" and redact(None, ["王秀英"]) == ""
