"""The redaction of public free text: IDs, cards, phones, household numbers and names."""

from aidbridge.redact import MASK, redact, redact_report


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


def test_the_issue_example_loses_both_name_and_number():
    assert redact("联系人曲比阿木，电话13912345678", ["曲比阿木"]) == f"联系人{MASK}，电话{MASK}"


def test_mobile_numbers_with_country_code():
    for text in ("+86 139 1234 5678", "+8613912345678", "0086-139-1234-5678", "８６13912345678"):
        assert redact(f"电话{text}。") == f"电话{MASK}。", text


def test_landlines_with_their_area_code():
    for text in (
        "0834-6221234",
        "(0834)6221234",
        "（0834）6221234",
        "0834 6221234",
        "010-62212345",
        "0834-6221234-801",
    ):
        assert redact(f"座机{text}。") == f"座机{MASK}。", text


def test_resident_ids_written_in_groups():
    for text in (
        "513422 19700101 1234",
        "513422-19700101-123X",
        "5134 2219 7001 0112 34",
        "513422 700101 123",
    ):
        assert redact(f"身份证{text}。") == f"身份证{MASK}。", text


def test_bank_card_numbers_of_16_to_19_digits():
    for text in ("6222021234567890", "6222 0212 3456 7890 123", "6222-0212-3456-7890"):
        assert redact(f"卡号{text}。") == f"卡号{MASK}。", text


def test_household_numbers_passed_in_are_masked():
    assert redact("户号H-12的家庭", numbers=["H-12"]) == f"户号{MASK}的家庭"
    assert redact("户号 513422100001 0007") == f"户号 {MASK}"


def test_dates_amounts_and_years_stay():
    text = "2026-01-05到2026-03-31，3000元，2 000 户，第12-15周，电话待定"
    assert redact(text) == text


def test_the_report_says_what_was_hidden():
    text, found = redact_report("曲比阿木 13912345678 0834-6221234 6222021234567890", ["曲比阿木"])
    assert text == " ".join([MASK] * 4)
    assert [(f.kind, f.text) for f in found] == [
        ("name", "曲比阿木"),
        ("mobile", "13912345678"),
        ("landline", "0834-6221234"),
        ("id_or_card", "6222021234567890"),
    ]


def test_thousands_of_names_are_masked_without_a_giant_pattern():
    names = [f"阿{chr(0x4E00 + i)}{chr(0x4E00 + i * 7 % 20000)}" for i in range(5000)]
    text = "".join(names[::500]) + "村"
    assert redact(text, names) == MASK * 10 + "村"
