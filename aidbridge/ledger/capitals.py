"""Amounts in Chinese capital numerals (人民币大写), as receipts and cheques write them so no
stroke can turn one figure into another: 1234567 fen -> 人民币壹万贰仟叁佰肆拾伍元陆角柒分."""

from aidbridge.validation import is_whole

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("仟", "佰", "拾", "")
GROUPS = ("", "万", "亿", "万亿")


def capitals(fen: int) -> str:
    """Whole fen (0 to under 10^16 yuan) as 人民币…元…角…分, ending 整 when there are no fen."""
    if not is_whole(fen) or not 0 <= fen < 10**18:
        raise ValueError("an amount is whole fen from 0 to under 10^16 yuan")
    yuan, rest = divmod(fen, 100)
    jiao, cents = divmod(rest, 10)
    words = _yuan(yuan) + "元" if yuan else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    elif cents and yuan:
        words += "零"
    if cents:
        words += DIGITS[cents] + "分"
    else:
        words = (words or "零元") + "整"
    return "人民币" + words


def _yuan(n: int) -> str:
    groups = []
    while n:
        n, group = divmod(n, 10_000)
        groups.append(group)
    words, gap = "", False
    for i in reversed(range(len(groups))):
        group = groups[i]
        if group == 0:
            gap = bool(words)
            continue
        if words and (gap or group < 1000):
            words += "零"
        words += _group(group) + GROUPS[i]
        gap = False
    return words


def _group(n: int) -> str:
    """1 to 9999 without leading 零: 1005 -> 壹仟零伍."""
    words, zero = "", False
    for place, digit in zip(PLACES, f"{n:04d}", strict=True):
        if digit == "0":
            zero = bool(words)
            continue
        if zero:
            words += "零"
        words += DIGITS[int(digit)] + place
        zero = False
    return words
