"""Fill a fresh database with two large organisations for the benchmark (bulk inserts only).

Every row is written with ``bulk_create`` in batches: no per-row save, no
signals. One password hash is computed once and shared. ``--scale 0.1`` makes a
tenth of everything; the measuring users (see ``bench.fixtures``) are the
same at every scale.
"""

from __future__ import annotations

import datetime
import random
import time
import uuid
from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Department, Officer, Organisation, User
from bench.fixtures import BENCH_PASSWORD, bench_email, organisations

BATCH = 5000

FIRST_NAMES = ["Anna", "Bram", "Carla", "Daan", "Eva", "Fleur", "Gijs", "Hanna", "Ivo", "Julia", "Koen", "Lotte"]
LAST_NAMES = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "Bos", "Vos"]
UNITS = ["Burgerzaken", "Sociaal Domein", "Financiën", "ICT", "Ruimte", "Belastingen", "Jeugd", "Wonen", "HR"]


def _batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _bulk(model, rows: Iterable, size: int = BATCH) -> int:
    count = 0
    for batch in _batches(rows, size):
        model.objects.bulk_create(batch, batch_size=size)
        count += len(batch)
    return count


_organisations = organisations


def _n(base: int, scale: float, minimum: int = 1) -> int:
    return max(minimum, round(base * scale))


class Command(BaseCommand):
    help = "Fill a fresh database with two large organisations for the benchmark."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=20260101)
        parser.add_argument(
            "--organisations", type=int, default=2, help="How many organisations of this scale (20 at 0.1: national)."
        )

    def handle(self, *args, scale: float, seed: int, organisations: int, **options) -> None:
        if Organisation.objects.exists():
            raise CommandError("bench_fill needs a fresh (migrated, empty) database.")
        self.rng = random.Random(seed)
        self.scale = scale
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.years = [self.today.year - 2, self.today.year - 1, self.today.year]
        self.password = make_password(BENCH_PASSWORD)
        started = time.monotonic()
        for index, (slug, name) in enumerate(_organisations(organisations)):
            with transaction.atomic():
                self._organisation(index, slug, name)
            self.stdout.write(f"{name}: done after {time.monotonic() - started:.1f}s")
        # What beat does every few minutes on a running server: the dashboards' counts per department and quarter.
        from evaluation.dashboards import rollup

        rollup.refresh_all()
        self.stdout.write(f"dashboard rollups: {time.monotonic() - started:.1f}s")
        # What autovacuum does on a running server: statistics for the planner, and the visibility map
        # that lets covering indexes answer without reading the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"bench_fill --scale {scale}: {time.monotonic() - started:.1f}s"))

    # --- one organisation ------------------------------------------------------------------------

    def _step(self, label: str, started: float) -> None:
        self.stdout.write(f"  {label}: {time.monotonic() - started:.1f}s")

    def _organisation(self, index: int, slug: str, name: str) -> None:
        t = time.monotonic()
        org = Organisation.objects.create(name=name, slug=slug)
        levels = self._departments(org, slug)
        self._step("departments", t)
        all_departments = [d for level in levels for d in level]
        users = self._users(org, slug, all_departments, levels)
        self._step("users", t)
        self.special = self._special_users(org, slug, levels)
        self._step("special users", t)
        plans_topics = self._plans(org, levels)
        self._step("plans and topics", t)
        appointments = self._ambassadors(org, users, levels)
        self._step("ambassadors", t)
        self._activities(org, appointments, plans_topics)
        self._step("activities", t)
        self._feedback(org, all_departments, users)
        self._step("feedback", t)
        self._dataleaks(org, all_departments, users)
        self._step("data leaks", t)
        self._training(org, users, plans_topics)
        self._step("training", t)
        self._surveys(org, users, all_departments)
        self._step("surveys", t)

    def _departments(self, org: Organisation, slug: str) -> list[list[Department]]:
        total = _n(400, self.scale, 8)
        # A four-level tree: directorates > departments > sections > teams (1 : 4 : 15 : 60 of 80).
        sizes = [max(2, round(total * 1 / 80)), max(2, round(total * 4 / 80)), max(2, round(total * 15 / 80))]
        sizes.append(total - sum(sizes))
        kinds = [Department.Level.DIRECTORATE, Department.Level.UNIT, Department.Level.UNIT, Department.Level.TEAM]
        levels: list[list[Department]] = []
        code = 0
        for depth, (size, kind) in enumerate(zip(sizes, kinds, strict=True)):
            parents = levels[-1] if levels else [None]
            rows = []
            for i in range(size):
                code += 1
                parent = parents[i % len(parents)]
                label = UNITS[i % len(UNITS)]
                rows.append(
                    Department(
                        organisation=org,
                        parent=parent,
                        name=f"{label} {depth + 1}.{i + 1}",
                        code=f"{slug[:3].upper()}{code:05d}",
                        level=kind,
                    )
                )
            created = Department.objects.bulk_create(rows, batch_size=BATCH)
            for department in created:
                parent_path = department.parent.path if department.parent else ""
                department.path = f"{parent_path}{department.pk:06d}/"
            Department.objects.bulk_update(created, ["path"], batch_size=BATCH)
            levels.append(created)
        return levels

    def _users(self, org, slug, departments, levels) -> list[tuple[int, int]]:
        """Employees, most of them in teams; returns (user id, department id) pairs."""
        count = _n(20000, self.scale, 100)
        leaves = levels[-1]
        rng = self.rng

        def rows():
            for i in range(count):
                department = leaves[i % len(leaves)] if i % 10 else rng.choice(departments)
                yield User(
                    email=f"medewerker{i}@{slug}.bench",
                    full_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}",
                    organisation=org,
                    department=department,
                    password=self.password,
                    language="en" if i % 10 == 0 else "nl",
                    employee_number=f"{i:06d}",
                    receives_topic_mailings=i % 50 != 0,
                )

        _bulk(User, rows())
        return list(User.objects.filter(organisation=org).order_by("pk").values_list("pk", "department_id"))

    def _special_users(self, org, slug, levels) -> dict[str, User]:
        """The measuring users: officers, a manager of a top-level department, an ambassador, staff."""
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import encrypt

        from bench.fixtures import LOAD_USERS, TOTP_SECRET

        top = levels[0][0]
        team = next(d for d in levels[-1] if d.path.startswith(top.path))
        unit = next(d for d in levels[1] if d.path.startswith(top.path))
        people = {
            "ciso": (top, "Karin CISO"),
            "privacy_officer": (top, "Ahmed Privacy"),
            "manager": (top, "Marieke Manager"),
            "ambassador": (team, "Sanne Ambassadeur"),
            "staff": (team, "Tom Medewerker"),
        }
        for i in range(LOAD_USERS):
            people[f"load{i}"] = (levels[-1][i % len(levels[-1])], f"Melder {i}")
        users = User.objects.bulk_create(
            [
                User(
                    email=bench_email(role, slug),
                    full_name=full_name,
                    organisation=org,
                    department=department,
                    password=self.password,
                )
                for role, (department, full_name) in people.items()
            ]
        )
        by_role = dict(zip(people, users, strict=True))
        Officer.objects.bulk_create(
            [
                Officer(user=by_role["ciso"], kind=Officer.Kind.CISO),
                Officer(user=by_role["privacy_officer"], kind=Officer.Kind.PRIVACY_OFFICER),
            ]
        )
        Department.managers.through.objects.bulk_create(
            [Department.managers.through(department_id=top.pk, user_id=by_role["manager"].pk)]
        )
        Authenticator.objects.bulk_create(
            [
                Authenticator(user=by_role[role], type=Authenticator.Type.TOTP, data={"secret": encrypt(TOTP_SECRET)})
                for role in ("ciso", "privacy_officer", "manager")
            ]
        )
        from ambassadors.models import Appointment

        [appointment] = Appointment.objects.bulk_create(
            [
                Appointment(
                    organisation=org,
                    user=by_role["ambassador"],
                    term_start=self.today - datetime.timedelta(days=400),
                    term_end=self.today + datetime.timedelta(days=330),
                )
            ]
        )
        Appointment.departments.through.objects.bulk_create(
            [Appointment.departments.through(appointment_id=appointment.pk, department_id=unit.pk)]
        )
        by_role["_appointment"] = appointment
        by_role["_unit"] = unit
        return by_role

    def _plans(self, org, levels) -> list:
        from programme.models import AnnualPlan, BudgetLine, Goal, QuarterlyMailing, Topic

        plans = AnnualPlan.objects.bulk_create(
            [
                AnnualPlan(organisation=org, year=year, title=f"Jaarplan {year}", status=AnnualPlan.Status.PUBLISHED)
                for year in self.years
            ]
        )
        owner = self.special["ciso"]
        topics = []
        subjects = ["Phishing", "Wachtwoorden", "Clean desk", "Datalekken melden", "Thuiswerken", "AVG", "Social media"]
        for plan in plans:
            for month in range(1, 13):
                topics.append(
                    Topic(
                        plan=plan,
                        title=f"{subjects[month % len(subjects)]} {plan.year}-{month:02d}",
                        key_message="Denk eerst na, klik dan.",
                        month=month,
                        status=Topic.Status.PUBLISHED,
                        channels=["newsletter", "intranet"],
                        owner=owner,
                    )
                )
            for quarter in range(1, 5):
                topics.append(
                    Topic(
                        plan=plan,
                        title=f"Kwartaalthema {plan.year} K{quarter}",
                        quarter=quarter,
                        status=Topic.Status.PUBLISHED,
                        channels=["email"],
                        owner=owner,
                    )
                )
            for i, department in enumerate(levels[1][:8]):
                topics.append(
                    Topic(
                        plan=plan,
                        title=f"Afdelingsthema {department.name} {plan.year}",
                        quarter=i % 4 + 1,
                        department=department,
                        status=Topic.Status.PUBLISHED,
                        channels=["team_meeting"],
                        owner=owner,
                    )
                )
        topics = Topic.objects.bulk_create(topics, batch_size=BATCH)
        Goal.objects.bulk_create(
            [
                Goal(organisation=org, year=year, kind=kind, title=f"Doel {kind} {year}")
                for year in self.years
                for kind in (Goal.Kind.LONG_TERM, Goal.Kind.SHORT_TERM)
            ]
        )
        BudgetLine.objects.bulk_create(
            [
                BudgetLine(
                    organisation=org,
                    year=year,
                    category=category,
                    description=f"{category} {year}",
                    planned=Decimal("10000"),
                    actual=Decimal("8000"),
                )
                for year in self.years
                for category, _label in BudgetLine.Category.choices
            ]
        )
        QuarterlyMailing.objects.bulk_create(
            [
                QuarterlyMailing(
                    organisation=org,
                    year=year,
                    quarter=quarter,
                    subject=f"Onderwerpen van {year} K{quarter}",
                    body="Beste collega, dit kwartaal staan deze onderwerpen centraal.",
                    started_at=self.now,
                    sent_at=self.now,
                )
                for year in self.years[:-1]
                for quarter in range(1, 5)
            ]
        )
        return [(t.pk, t.plan.year) for t in topics]

    def _ambassadors(self, org, users, levels) -> list[tuple[int, int, int, datetime.date, datetime.date | None]]:
        """Appointments over three years; returns (appointment, user, department, start, end)."""
        from ambassadors.models import Appointment

        count = _n(800, self.scale, 10)
        rng = self.rng
        picked = rng.sample(users, count)
        coverable = levels[2] + levels[3]
        first_day = datetime.date(self.years[0], 1, 1)
        span = (self.today - first_day).days
        rows, meta = [], []
        for i, (user_id, _department_id) in enumerate(picked):
            start = first_day + datetime.timedelta(days=rng.randrange(span))
            end = None if i % 3 else start + datetime.timedelta(days=730)
            department = coverable[i % len(coverable)]
            rows.append(
                Appointment(organisation=org, user_id=user_id, term_start=start, term_end=end, hours_per_month=4)
            )
            meta.append(department.pk)
        created = Appointment.objects.bulk_create(rows, batch_size=BATCH)
        through = Appointment.departments.through
        through.objects.bulk_create(
            [through(appointment_id=a.pk, department_id=d) for a, d in zip(created, meta, strict=True)],
            batch_size=BATCH,
        )
        special = self.special["_appointment"]
        result = [(a.pk, a.user_id, d, a.term_start, a.term_end) for a, d in zip(created, meta, strict=True)]
        result.append((special.pk, special.user_id, self.special["_unit"].pk, special.term_start, special.term_end))
        return result

    def _activities(self, org, appointments, topics) -> None:
        from ambassadors.models import Activity

        count = _n(200000, self.scale, 100)
        rng = self.rng
        kinds = [k for k, _label in Activity.Kind.choices]
        topics_by_year: dict[int, list[int]] = {}
        for topic_id, year in topics:
            topics_by_year.setdefault(year, []).append(topic_id)
        special = appointments[-1]

        def rows():
            for i in range(count):
                # The measured ambassador logs a fair share, so their list is long too.
                appointment_id, user_id, department_id, start, end = (
                    special if i % 200 == 0 else rng.choice(appointments)
                )
                last = min(end or self.today, self.today)
                days = max(1, (last - start).days)
                day = start + datetime.timedelta(days=rng.randrange(days))
                yield Activity(
                    organisation=org,
                    user_id=user_id,
                    appointment_id=appointment_id,
                    department_id=department_id,
                    kind=kinds[i % len(kinds)],
                    topic_id=rng.choice(topics_by_year[day.year])
                    if i % 3 == 0 and day.year in topics_by_year
                    else None,
                    date=day,
                    hours=Decimal(rng.choice(["0.5", "1.0", "1.5", "2.0"])),
                    colleagues_reached=rng.randrange(0, 30),
                    note="Gesprek over phishing in het teamoverleg.",
                )

        _bulk(Activity, rows())

    def _feedback(self, org, departments, users) -> None:
        from ambassadors.models import Feedback

        count = _n(50000, self.scale, 50)
        rng = self.rng
        categories = [c for c, _label in Feedback.Category.choices]
        statuses = [s for s, _label in Feedback.Status.choices]
        ambassador = self.special["ambassador"]

        def rows():
            for i in range(count):
                anonymous = i % 4 == 0
                status = statuses[i % len(statuses)]
                handled = status in Feedback.HANDLED
                user_id, department_id = rng.choice(users)
                yield Feedback(
                    organisation=org,
                    department_id=department_id,
                    category=categories[i % len(categories)],
                    message="De procedure voor het versturen van grote bestanden werkt niet in de praktijk.",
                    is_anonymous=anonymous,
                    author_id=None if anonymous else user_id,
                    status=status,
                    answer="Dank u, we hebben de procedure aangepast." if handled else "",
                    answered_at=self.now if handled else None,
                    answered_by=ambassador if handled else None,
                )

        _bulk(Feedback, rows())
        # Spread the received dates over three years (auto_now_add set them all to now).
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE ambassadors_feedback SET created_at = now() - (random() * interval '1000 days') "
                "WHERE organisation_id = %s",
                [org.pk],
            )

    def _dataleaks(self, org, departments, users) -> None:
        from incidents.models import AffectedEstimate, Category, DataLeak, DataLeakCounter

        count = _n(10000, self.scale, 30)
        rng = self.rng
        categories = [c for c, _label in Category.choices]
        estimates = [c for c, _label in AffectedEstimate.choices]
        per_year = dict.fromkeys(self.years, 0)
        first = datetime.datetime(self.years[0], 1, 1, tzinfo=datetime.UTC)
        span = (self.now - first).total_seconds() - 3600
        reporters = users[: max(1, len(users) // 4)]
        privacy_officer = self.special["privacy_officer"]

        def rows():
            for i in range(count):
                created = first + datetime.timedelta(seconds=rng.random() * span)
                if i < 40:  # a few fresh, open reports for the queue
                    created = self.now - datetime.timedelta(hours=rng.randrange(1, 100))
                year = timezone.localtime(created).year
                per_year[year] = per_year.get(year, 0) + 1
                number = per_year[year]
                user_id, department_id = rng.choice(reporters)
                # The facts of the state (incidents.state): fresh reports open, the rest closed or "no data leak".
                ended = None if i < 40 else created + datetime.timedelta(days=5)
                no_leak = ended is not None and i % 7 == 0
                yield DataLeak(
                    organisation=org,
                    reference=f"DL-{year}-{number:04d}",
                    year=year,
                    number=number,
                    idempotency_token=uuid.uuid4(),
                    reported_by_id=user_id,
                    contact_name="Melder",
                    contact_email="melder@bench.test",
                    department_id=department_id,
                    category=categories[i % len(categories)],
                    description="Een brief met een inkomensverklaring is naar het verkeerde adres gestuurd.",
                    occurred_at=created - datetime.timedelta(hours=2),
                    discovered_at=created - datetime.timedelta(hours=1),
                    data_kinds=["name_address"],
                    affected_estimate=estimates[i % len(estimates)],
                    aware_at=created,
                    assignee=privacy_officer if ended else None,
                    ap_decision="no_notify" if ended and not no_leak else "",
                    assessment_started_at=created + datetime.timedelta(hours=1) if ended else None,
                    closed_at=None if no_leak else ended,
                    no_leak_at=ended if no_leak else None,
                    created_at=created,
                )

        _bulk(DataLeak, rows(), size=2000)
        DataLeakCounter.objects.bulk_create(
            [DataLeakCounter(organisation=org, year=year, last_number=n) for year, n in per_year.items()]
        )

    def _training(self, org, users, topics) -> None:
        from training.models import Enrolment, Module, TrainingSession

        sessions_count = _n(2000, self.scale, 10)
        enrolments_per_session = 20
        rng = self.rng
        modules = Module.objects.bulk_create(
            [
                Module(
                    organisation=org,
                    year=year,
                    title=f"{title} {year}",
                    description="Herkennen en melden.",
                    is_mandatory=i < 3,
                )
                for year in self.years
                for i, title in enumerate(["Phishing", "Datalekken", "Wachtwoorden", "AVG basis", "Veilig thuiswerken"])
            ]
        )
        trainer = self.special["ciso"]
        sessions = []
        first = datetime.datetime(self.years[0], 1, 15, 9, tzinfo=datetime.UTC)
        span_days = (self.today - first.date()).days + 180
        for i in range(sessions_count):
            starts = first + datetime.timedelta(days=rng.randrange(span_days), hours=rng.randrange(0, 6))
            sessions.append(
                TrainingSession(
                    module=modules[i % len(modules)],
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    location="Stadhuis, zaal 3",
                    trainer=trainer,
                    capacity=25,
                    open_to_all_staff=i % 2 == 0,
                )
            )
        sessions = TrainingSession.objects.bulk_create(sessions, batch_size=BATCH)
        user_ids = [u for u, _d in users]
        ambassador = self.special["ambassador"]

        def rows():
            for index, session in enumerate(sessions):
                participants = rng.sample(user_ids, enrolments_per_session)
                if index % 50 == 0:
                    participants[0] = ambassador.pk
                past = session.starts_at < self.now
                for user_id in participants:
                    yield Enrolment(session_id=session.pk, user_id=user_id, attended=past and rng.random() < 0.9)

        _bulk(Enrolment, rows())

    def _surveys(self, org, users, departments) -> None:
        from evaluation.surveys.models import Answer, Participation, Question, Response, Survey

        answers_total = _n(100000, self.scale, 100)
        questions_per_survey = 5
        survey_count = 20
        responses_per_survey = max(5, answers_total // (survey_count * questions_per_survey))
        rng = self.rng
        surveys = Survey.objects.bulk_create(
            [
                Survey(
                    organisation=org,
                    title=f"Bewustzijnspeiling {i + 1}",
                    kind=Survey.Kind.STAFF_PULSE,
                    anonymous=True,
                    audience=Survey.Audience.ALL,
                    opens_at=self.now - datetime.timedelta(days=30 * (survey_count - i)),
                    deadline=self.today - datetime.timedelta(days=30 * (survey_count - i) - 14),
                    status=Survey.Status.CLOSED,
                    closed_at=self.now - datetime.timedelta(days=30 * (survey_count - i) - 14),
                    created_by=self.special["ciso"],
                )
                for i in range(survey_count)
            ]
        )
        self.survey_ids = [s.pk for s in surveys]
        questions = Question.objects.bulk_create(
            [
                Question(survey=survey, order=q, text=f"Ik weet hoe ik een datalek meld ({q + 1}).")
                for survey in surveys
                for q in range(questions_per_survey)
            ]
        )
        by_survey: dict[int, list[Question]] = {}
        for question in questions:
            by_survey.setdefault(question.survey_id, []).append(question)
        for survey in surveys:
            respondents = rng.sample(users, min(responses_per_survey, len(users)))
            day = survey.opens_at.replace(hour=0, minute=0, second=0, microsecond=0)
            _bulk(
                Participation,
                (Participation(survey=survey, user_id=u, invited_at=day, responded_at=day) for u, _d in respondents),
            )
            responses = Response.objects.bulk_create(
                [Response(survey=survey, department_id=d, submitted_at=day) for _u, d in respondents],
                batch_size=BATCH,
            )
            _bulk(
                Answer,
                (
                    Answer(response_id=response.pk, question_id=question.pk, likert=rng.randint(1, 5))
                    for response in responses
                    for question in by_survey[survey.pk]
                ),
            )
