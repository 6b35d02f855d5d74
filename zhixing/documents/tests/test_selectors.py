import pytest

from zhixing.courts.access import court_scope_for
from zhixing.courts.choices import Role
from zhixing.documents.selectors import document_get, document_list
from zhixing.documents.services import document_generate


@pytest.fixture
def generate(courts, make_staff, context, at):
    clerk = make_staff(courts.wenxian, Role.EXECUTOR)

    def make(code, case_id):
        return document_generate(
            court=courts.wenxian, template_code=code, context=context, actor=clerk, at=at, case_id=case_id
        )

    return make


def test_document_list_returns_the_cases_documents_newest_first(courts, make_staff, generate, at):
    first = generate("acceptance_notice", 7)
    second = generate("execution_notice", 7)
    generate("execution_notice", 8)
    scope = court_scope_for(user=make_staff(courts.wenxian, Role.EXECUTOR), today=at.date())
    assert list(document_list(scope=scope, case_id=7)) == [second, first]


def test_document_list_is_empty_for_another_court(courts, make_staff, generate, at):
    generate("execution_notice", 7)
    scope = court_scope_for(user=make_staff(courts.wuzhi, Role.EXECUTOR), today=at.date())
    assert list(document_list(scope=scope, case_id=7)) == []


def test_document_get_outside_scope_is_404(courts, make_staff, generate, at):
    from django.http import Http404

    document = generate("execution_notice", 7)
    own = court_scope_for(user=make_staff(courts.wenxian, Role.EXECUTOR), today=at.date())
    other = court_scope_for(user=make_staff(courts.linshu, Role.EXECUTOR), today=at.date())
    assert document_get(scope=own, document_id=document.pk) == document
    with pytest.raises(Http404):
        document_get(scope=other, document_id=document.pk)
