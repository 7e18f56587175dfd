"""Question categories are created and moved through one service (treebeard keeps the tree)."""

import pytest

from assessments.models import QuestionCategory
from assessments.services import category_save
from cadres.errors import ApplicationError

pytestmark = pytest.mark.django_db


def _new(name, parent=None):
    return category_save(category=QuestionCategory(), parent=parent, name=name)


def test_a_category_moves_under_another_with_its_children():
    safety = _new("An toàn thông tin")
    fraud = _new("Lừa đảo", parent=safety)
    law = _new("Pháp luật")
    category_save(category=safety, parent=law, name="An toàn thông tin")
    safety.refresh_from_db()
    fraud.refresh_from_db()
    assert safety.get_parent() == law
    assert fraud.get_parent() == safety and fraud.path.startswith(law.path)


def test_a_category_moves_back_to_the_top():
    law = _new("Pháp luật")
    safety = _new("An toàn thông tin", parent=law)
    category_save(category=safety, parent=None, name="An toàn thông tin")
    safety.refresh_from_db()
    assert safety.is_root()


def test_a_category_cannot_move_under_its_own_child():
    safety = _new("An toàn thông tin")
    fraud = _new("Lừa đảo", parent=safety)
    with pytest.raises(ApplicationError):
        category_save(category=safety, parent=fraud, name="An toàn thông tin")
    safety.refresh_from_db()
    assert safety.is_root()
