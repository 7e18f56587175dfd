"""A cadre activates their login alone: the printed slip says where and how,
the form takes the phone number, and the roster shows who is still missing."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import zxingcpp
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageDraw

from cadres.accounts.services import activation_code_set
from cadres.models import User
from tests.factories import make_cadre
from tests.services import cache_clear

pytestmark = pytest.mark.django_db

SITE = "https://hocso.mttq-thainguyen.vn"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    cache_clear()


def _svg_to_image(svg: str, scale: int = 8) -> Image.Image:
    """Rasterise the slip's QR code: one path of M x,y h n v 1 h -n z runs."""
    viewbox = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    width, height = int(viewbox.group(1)), int(viewbox.group(2))
    image = Image.new("L", (width * scale, height * scale), 255)
    draw = ImageDraw.Draw(image)
    path = re.search(r' d="([^"]+)"', svg).group(1)
    for x, y, run in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\d+z", path):
        x, y, run = int(x), int(y), int(run)
        draw.rectangle([x * scale, y * scale, (x + run) * scale - 1, (y + 1) * scale - 1], fill=0)
    return image


def _slip_qr_urls(page: str) -> list[str]:
    urls = []
    for svg in re.findall(r"<svg[^>]*class=\"qr\".*?</svg>", page, flags=re.S):
        results = zxingcpp.read_barcodes(_svg_to_image(svg))
        urls.extend(r.text for r in results)
    return urls


def test_slip_prints_the_full_site_address_and_a_qr_code_with_the_username(
    client, coded_tree, hr_la_bang
):
    cadre = make_cadre(coded_tree["la_bang"], cadre_code="LB9")
    client.force_login(hr_la_bang)
    page = client.post(reverse("cadres:cadre_activation", args=[cadre.pk])).content.decode()
    assert f"{SITE}/tai-khoan/kich-hoat/" in page
    urls = _slip_qr_urls(page)
    assert len(urls) == 1
    parts = urlsplit(urls[0])
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{SITE}/tai-khoan/kich-hoat/"
    assert parse_qs(parts.query) == {"u": ["lb9"]}


def test_activation_page_fills_in_the_username_from_the_slip(client):
    page = client.get(reverse("account_activate"), {"u": "lb9"}).content.decode()
    assert re.search(r'name="username"[^>]*value="lb9"', page)
    assert ">Kích hoạt</button>" in page


def test_activation_page_without_a_username_leaves_the_field_empty(client):
    page = client.get(reverse("account_activate")).content.decode()
    field = re.search(r'<input[^>]*name="username"[^>]*>', page).group(0)
    assert "value=" not in field


NEW_PASSWORD = "mot-mat-khau-moi"


def _activate(client, login, code, password=NEW_PASSWORD):
    return client.post(
        reverse("account_activate"),
        {"username": login, "code": code, "password1": password, "password2": password},
    )


def test_cadre_activates_with_the_phone_number_in_any_spelling(client, coded_tree):
    user = User.objects.create(username="lb9", password=make_password(None))
    make_cadre(coded_tree["la_bang"], user=user, phone="0912345678")
    code = activation_code_set(user=user)
    response = _activate(client, "+84 912 345 678", code)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("mot-mat-khau-moi") and not user.activation_code_hash
    assert client.login(username="lb9", password="mot-mat-khau-moi")


def test_someone_elses_phone_number_does_not_activate_this_code(client, coded_tree):
    mine = User.objects.create(username="lb9", password=make_password(None))
    make_cadre(coded_tree["la_bang"], user=mine, phone="0912345678")
    other = User.objects.create(username="lb8", password=make_password(None))
    make_cadre(coded_tree["la_bang"], user=other, phone="0987654321")
    code = activation_code_set(user=mine)
    response = _activate(client, "0987654321", code)
    assert response.status_code == 200
    assert "hết hạn" in response.content.decode()
    mine.refresh_from_db()
    other.refresh_from_db()
    assert mine.activation_code_hash and not mine.has_usable_password()
    assert not other.has_usable_password()


def test_activation_form_asks_for_username_or_phone_in_vietnamese(client):
    page = client.get(reverse("account_activate")).content.decode()
    assert "Tên đăng nhập hoặc số điện thoại" in page


# --- the roster shows who cannot sign in yet ----------------------------------------


@pytest.fixture
def three_states(coded_tree):
    unit = coded_tree["la_bang"]
    none = make_cadre(unit, given_name="Chưa", family_name="Lý Thị")
    pending_user = User.objects.create(username="lb2", password=make_password(None))
    pending = make_cadre(unit, user=pending_user, given_name="Đợi", family_name="Ma Văn")
    active_user = User.objects.create(
        username="lb3", password=make_password("mat-khau-du-dai"), last_login=timezone.now()
    )
    active = make_cadre(unit, user=active_user, given_name="Xong", family_name="Nông Văn")
    return {"none": none, "pending": pending, "active": active}


def test_roster_shows_each_cadres_login_state(client, three_states, hr_la_bang):
    client.force_login(hr_la_bang)
    page = client.get(reverse("cadres:roster")).content.decode()
    assert "Chưa có tài khoản" in page and "Chưa kích hoạt" in page and "lb3" in page


@pytest.mark.parametrize(
    ("state", "shown", "hidden"),
    [
        ("chua-co", ["none"], ["pending", "active"]),
        ("chua-kich-hoat", ["pending"], ["none", "active"]),
        ("chua-dang-nhap", ["none", "pending"], ["active"]),
    ],
)
def test_roster_filters_by_login_state(client, three_states, hr_la_bang, state, shown, hidden):
    client.force_login(hr_la_bang)
    page = client.get(reverse("cadres:roster"), {"tai_khoan": state}).content.decode()
    for key in shown:
        assert three_states[key].full_name in page
    for key in hidden:
        assert three_states[key].full_name not in page


def test_roster_login_filter_stays_inside_the_officers_subtree(
    client, coded_tree, three_states, hr_la_bang
):
    outsider = make_cadre(coded_tree["dai_phuc"], given_name="Ngoài", family_name="Hà Văn")
    client.force_login(hr_la_bang)
    page = client.get(reverse("cadres:roster"), {"tai_khoan": "chua-co"}).content.decode()
    assert three_states["none"].full_name in page and outsider.full_name not in page


def test_roster_ignores_an_unknown_login_state(client, three_states, hr_la_bang):
    client.force_login(hr_la_bang)
    response = client.get(reverse("cadres:roster"), {"tai_khoan": "bogus"})
    assert response.status_code == 200
    page = response.content.decode()
    assert all(c.full_name in page for c in three_states.values())


def test_roster_gives_a_cadre_no_login_state_filter(client, cadre_user):
    client.force_login(cadre_user)
    assert client.get(reverse("cadres:roster"), {"tai_khoan": "chua-co"}).status_code == 404
