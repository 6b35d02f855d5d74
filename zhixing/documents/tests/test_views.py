from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from zhixing.courts.choices import Role
from zhixing.documents.services import document_generate


@pytest.fixture
def document(courts, make_staff, context, at):
    clerk = make_staff(courts.wenxian, Role.EXECUTOR)
    return document_generate(
        court=courts.wenxian, template_code="execution_notice", context=context, actor=clerk, at=at, case_id=7
    )


def _url(document):
    return reverse("documents:download", kwargs={"document_id": document.pk})


def test_download_sends_the_file_under_its_chinese_name_and_is_audited(
    client, courts, make_staff, document, audit_rows, media_root
):
    reader = make_staff(courts.wenxian, Role.TEAM_LEADER)
    client.force_login(reader)
    response = client.get(_url(document))
    assert response.status_code == 200
    assert response.content == Path(media_root, document.file.name).read_bytes()
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("执行通知书（2026）豫0825执123号.docx")
    )
    [row] = audit_rows("documents.document.downloaded")
    assert (row["actor_id"], row["court_id"], row["case_id"], row["subject_id"]) == (
        reader.pk, courts.wenxian.pk, 7, str(document.pk)
    )


def test_upper_court_supervisor_may_download(client, courts, make_staff, document):
    client.force_login(make_staff(courts.jiaozuo, Role.UPPER_SUPERVISOR))
    assert client.get(_url(document)).status_code == 200


def test_another_courts_person_gets_404_and_nothing_is_recorded(client, courts, make_staff, document, audit_rows):
    client.force_login(make_staff(courts.wuzhi, Role.EXECUTOR))
    response = client.get(_url(document))
    assert response.status_code == 404
    assert audit_rows("documents.document.downloaded") == []


def test_unknown_document_is_404(client, courts, make_staff):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    assert client.get(reverse("documents:download", kwargs={"document_id": 999999})).status_code == 404


def test_tampered_file_is_refused_with_409_and_recorded(client, courts, make_staff, document, audit_rows, media_root):
    path = Path(media_root, document.file.name)
    path.write_bytes(path.read_bytes().replace(b"word/", b"word/", 1) + b"\0")
    reader = make_staff(courts.wenxian, Role.EXECUTOR)
    client.force_login(reader)
    response = client.get(_url(document))
    assert response.status_code == 409
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "文书校验未通过" in response.content.decode()
    assert "执行通知书》（2026）豫0825执123号的存档文件与生成时记录的 SM3 摘要不一致" in response.content.decode()
    assert audit_rows("documents.document.downloaded") == []
    [row] = audit_rows("documents.document.tamper_detected")
    assert (row["actor_id"], row["subject_id"]) == (reader.pk, str(document.pk))


def test_missing_file_is_refused_with_409(client, courts, make_staff, document, media_root):
    Path(media_root, document.file.name).unlink()
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    assert client.get(_url(document)).status_code == 409


def test_anonymous_is_sent_to_login(client, document):
    response = client.get(_url(document))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={_url(document)}"


def test_person_without_a_role_is_refused(client, django_user_model, document):
    client.force_login(django_user_model.objects.create_user(username="nobody", password="x"))
    assert client.get(_url(document)).status_code == 403


def test_post_is_not_allowed(client, courts, make_staff, document):
    client.force_login(make_staff(courts.wenxian, Role.EXECUTOR))
    assert client.post(_url(document)).status_code == 405
