"""The public survey form, built from the questionnaire's questions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import COMMENT_MAX_LENGTH, SCORES, Question, Questionnaire


def field_name(question: Question) -> str:
    return f"q{question.pk}"


class SurveyForm(forms.Form):
    # Honeypot: hidden from people and assistive technology; bots that fill every field fill this one too.
    website = forms.CharField(label=_("Non compilare questo campo"), required=False)

    def __init__(self, *args, questionnaire: Questionnaire, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.questions = list(questionnaire.questions.all())
        for question in self.questions:
            if question.kind == Question.Kind.SCORE:
                field = forms.TypedChoiceField(
                    label=question.display_label,
                    choices=[(score, str(score)) for score in SCORES],
                    coerce=int,
                    widget=forms.RadioSelect,
                    required=question.required,
                )
            else:
                field = forms.CharField(
                    label=question.display_label,
                    widget=forms.Textarea(attrs={"rows": 3}),
                    max_length=COMMENT_MAX_LENGTH,
                    required=question.required,
                )
            field.question = question
            self.fields[field_name(question)] = field

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def answers(self) -> dict[int, int | str]:
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def question_fields(self):
        return [self[field_name(q)] for q in self.questions]
