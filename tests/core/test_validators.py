import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.validators import file_head, validate_document


def test_file_head_reads_the_start_and_leaves_the_position_where_it_was():
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7 rest of the file")
    upload.seek(5)

    assert (file_head(upload, 8), upload.tell()) == (b"%PDF-1.7", 5)


def test_a_pdf_whose_content_is_a_pdf_is_accepted():
    validate_document(SimpleUploadedFile("libro.pdf", b"%PDF-1.7\n..."))


@pytest.mark.parametrize("name", ["libro.pdf", "libro.epub"])
def test_a_file_whose_content_does_not_match_its_extension_is_refused(name):
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile(name, b"<html>not a book</html>"))

    assert refused.value.code == "invalid_document"
