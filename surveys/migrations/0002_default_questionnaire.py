"""The default satisfaction questionnaire, used by every meeting that has no questionnaire of its own."""

from django.db import migrations

QUESTIONS = [
    (
        "score",
        "Nel complesso, quanto sei soddisfatto/a dell'incontro?",
        "Overall, how satisfied are you with the meeting?",
    ),
    ("score", "Quanto sono stati utili i contenuti per il tuo lavoro?", "How useful was the content for your work?"),
    ("score", "Quanto sono stati chiari i relatori?", "How clear were the speakers?"),
    (
        "score",
        "Come valuti l'organizzazione (orari, sede o piattaforma online)?",
        "How do you rate the organisation (times, venue or online platform)?",
    ),
    ("comment", "Che cosa ti è stato più utile?", "What was most useful to you?"),
    ("comment", "Che cosa possiamo migliorare nei prossimi incontri?", "What could we improve in future meetings?"),
]


def create_default(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Question = apps.get_model("surveys", "Question")
    if Questionnaire.objects.filter(is_default=True).exists():
        return
    questionnaire = Questionnaire.objects.create(
        title="Questionario di gradimento",
        title_en="Satisfaction survey",
        intro="Bastano due minuti. Le risposte sono usate in forma aggregata per migliorare i laboratori e per "
        "rendicontare il gradimento dei partecipanti.",
        intro_en="It takes two minutes. Answers are used in aggregate to improve the labs and to report participant "
        "satisfaction.",
        is_default=True,
    )
    Question.objects.bulk_create(
        Question(
            questionnaire=questionnaire,
            kind=kind,
            label=label,
            label_en=label_en,
            required=kind == "score",
            position=position,
        )
        for position, (kind, label, label_en) in enumerate(QUESTIONS, start=1)
    )


def remove_default(apps, schema_editor):
    apps.get_model("surveys", "Questionnaire").objects.filter(is_default=True, responses__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_surveys")]

    operations = [migrations.RunPython(create_default, remove_default)]
