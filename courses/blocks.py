from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False)
    alt = blocks.CharBlock(
        label=_("alt text"), required=False, help_text=_("For screen-reader users.")
    )

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("video URL"), required=False)
    document = DocumentChooserBlock(label=_("uploaded video file"), required=False)
    duration_seconds = blocks.IntegerBlock(
        label=_("duration (seconds)"), required=False, min_value=1
    )
    must_finish = blocks.BooleanBlock(
        label=_("the video must be watched to the end"),
        required=False,
        help_text=_(
            "Applies to an uploaded video file, whose end the page can report; "
            "give its duration so an implausibly early end is refused."
        ),
    )
    transcript = blocks.TextBlock(label=_("transcript"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Downloadable document")
        template = "courses/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False)
    body = blocks.RichTextBlock(label=_("content"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "pick"
        label = _("Key points")
        template = "courses/blocks/callout.html"


class InlineCheckBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    options = blocks.ListBlock(blocks.CharBlock(label=_("option")), label=_("options"))
    correct_index = blocks.IntegerBlock(
        label=_("correct option (counting from 1)"), min_value=1, default=1
    )
    explanation = blocks.TextBlock(label=_("explanation"), required=False)

    class Meta:
        icon = "help"
        label = _("Self-check question")
        template = "courses/blocks/inline_check.html"


class LessonBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Section heading"),
        form_classname="title",
        icon="title",
        template="courses/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=RICH_TEXT_FEATURES, template="courses/blocks/paragraph.html"
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    inline_check = InlineCheckBlock()
