import unicodedata

from cadres.text import fold, nfc, sort_key, split_full_name


def test_fold_ignores_diacritics_case_and_d_stroke():
    assert fold("Nguyễn Thị Hoà") == fold("nguyen thi hoa") == "nguyen thi hoa"
    assert fold("Đặng Văn Dũng") == "dang van dung"


def test_nfc_composes_decomposed_input_and_folds_spaces():
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Thị ")
    assert nfc(decomposed) == "Nguyễn Thị"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


def test_sort_key_orders_vietnamese_letters_after_their_base():
    names = ["Đào", "Dũng", "Ánh", "Ước", "Uyên", "Hoa", "Ân", "An", "Ơn", "Ông"]
    ordered = sorted(names, key=lambda n: sort_key(n))
    assert ordered == ["An", "Ánh", "Ân", "Dũng", "Đào", "Hoa", "Ông", "Ơn", "Uyên", "Ước"]


def test_sort_key_sorts_by_given_name_then_family_name():
    people = [("Trần Văn", "Bình"), ("Nguyễn Thị", "Bình"), ("Lê Văn", "An")]
    ordered = sorted(people, key=lambda p: sort_key(p[1], p[0]))
    assert ordered == [("Lê Văn", "An"), ("Nguyễn Thị", "Bình"), ("Trần Văn", "Bình")]


def test_sort_key_breaks_ties_by_tone_in_dictionary_order():
    tones = ["ma", "mà", "mả", "mã", "má", "mạ"]
    assert sorted(reversed(tones), key=lambda n: sort_key(n)) == tones


def test_sort_key_is_digits_only_so_any_collation_agrees():
    assert sort_key("Nguyễn Thị", "Hồng Nhung").isdigit()


def test_split_full_name_takes_last_word_as_given_name():
    assert split_full_name("Nguyễn Thị Hoa") == ("Nguyễn Thị", "Hoa")
    assert split_full_name("Hoa") == ("", "Hoa")
