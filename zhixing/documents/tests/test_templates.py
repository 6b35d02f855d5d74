import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docxtpl import DocxTemplate

from zhixing.documents.build_templates import build
from zhixing.documents.catalogue import FIELDS, TEMPLATES, FieldKind


def _variables(required: tuple[str, ...]) -> set[str]:
    names = {"court_name"}
    for key in required:
        if FIELDS[key].kind is FieldKind.MONEY:
            names |= {f"{key}_figures", f"{key}_capital"}
        else:
            names.add(key)
    return names


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_committed_template_is_what_the_script_builds(code):
    template = TEMPLATES[code]
    assert template.path.read_bytes() == build(template)


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_template_uses_exactly_its_required_fields(code):
    template = TEMPLATES[code]
    assert DocxTemplate(template.path).get_undeclared_template_variables() == _variables(template.required)


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_layout_centres_court_and_title_and_right_aligns_number_date_and_seal(code):
    paragraphs = Document(io.BytesIO(TEMPLATES[code].path.read_bytes())).paragraphs
    alignment = [p.paragraph_format.alignment or p.style.paragraph_format.alignment for p in paragraphs]
    assert alignment[:3] == [WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT]
    assert alignment[-2:] == [WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.RIGHT]
    assert [p.text for p in paragraphs][-2:] == ["{{ document_date }}", "（院印）"]


def test_every_required_field_is_declared():
    assert {key for template in TEMPLATES.values() for key in template.required} <= set(FIELDS)
