"""The question bank: categories (a tree) and questions with their answers."""

from django.db import transaction
from django.utils.translation import gettext as _

from cadres.errors import ApplicationError
from cadres.text import nfc

from .. import formats
from ..models import Answer, Question, QuestionCategory


@transaction.atomic
def category_save(
    *,
    category: QuestionCategory,
    parent: QuestionCategory | None,
    name: str,
    description: str = "",
) -> QuestionCategory:
    """Create a category under ``parent`` (None: at the top), or rename one and
    move it there; treebeard keeps the tree, a plain save would not."""
    if category.pk is None:
        if parent is None:
            return QuestionCategory.add_root(name=name, description=description)
        return parent.add_child(name=name, description=description)
    if parent is not None and parent.path.startswith(category.path):
        raise ApplicationError(_("A category cannot be moved under itself."))
    category.name, category.description = name, description
    category.save()
    if parent != category.get_parent():
        if parent is None:
            category.move(QuestionCategory.get_first_root_node(), pos="sorted-sibling")
        else:
            category.move(parent, pos="sorted-child")
        category.refresh_from_db()
    return category


def category_get_or_create(*, path: str, under: QuestionCategory | None = None) -> QuestionCategory:
    """Find or make the category at ``path`` ("A/B/C"), under ``under`` or at the root."""
    node = under
    for name in [nfc(p) for p in path.split("/") if nfc(p)]:
        children = node.get_children() if node else QuestionCategory.get_root_nodes()
        found = children.filter(name=name).first()
        if found is None:
            found = node.add_child(name=name) if node else QuestionCategory.add_root(name=name)
            node = QuestionCategory.objects.get(pk=found.pk)
        else:
            node = found
    if node is None:
        raise ValueError("empty category path")
    return node


def category_find(*, path: str) -> QuestionCategory | None:
    node = None
    for name in [nfc(p) for p in path.split("/") if nfc(p)]:
        children = node.get_children() if node else QuestionCategory.get_root_nodes()
        node = children.filter(name=name).first()
        if node is None:
            return None
    return node


def question_create(*, parsed: formats.ParsedQuestion, category: QuestionCategory) -> Question:
    question = Question(
        category=category,
        name=nfc(parsed.name)[:255] or nfc(parsed.text)[:60],
        qtype=parsed.qtype,
        text=parsed.text,
        text_format=parsed.text_format,
        general_feedback=parsed.general_feedback,
        default_mark=parsed.default_mark,
        ignore_case=parsed.ignore_case,
        ignore_spaces=parsed.ignore_spaces,
        ignore_diacritics=parsed.ignore_diacritics,
    )
    if parsed.tags:
        question.tags.add(*[t[:100] for t in parsed.tags])
    question.save()
    Answer.objects.bulk_create(
        Answer(
            question=question,
            sort_order=i,
            text=a.text,
            match_text=a.match_text[:255],
            fraction=a.fraction,
            tolerance=a.tolerance,
            feedback=a.feedback,
        )
        for i, a in enumerate(parsed.answers)
    )
    return question
