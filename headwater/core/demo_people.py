"""The demo roster: fictional, well-formed, unique people drawn from one seed (the same seed
and staff count give the same people), spread over the demo units by weight, with the
qualifications of their posts (`headwater demo`, core/demo.py)."""

import datetime as dt
import random
from itertools import accumulate

from faker.providers.person.zh_CN import Provider as ChineseNames

from headwater.core import clock
from headwater.core.choices import EmploymentStatus
from headwater.core.demo_units import PROFILES, UNITS, Post, Profile, Q
from headwater.core.models import Organization, Person, Qualification, Unit
from headwater.core.validators import id_check_digit

BATCH = 2000


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split `total` over `weights` by largest remainder (exact integers, so deterministic).
    Every weighted unit gets at least one person when there are enough to go round."""
    weighted = [i for i, w in enumerate(weights) if w]
    floor = 1 if total >= len(weighted) else 0
    counts = [floor if w else 0 for w in weights]
    rest, wsum = total - sum(counts), sum(weights)
    shares = [divmod(rest * w, wsum) for w in weights]
    for i, (whole, _) in enumerate(shares):
        counts[i] += whole
    left = total - sum(counts)
    by_remainder = sorted(weighted, key=lambda i: (-shares[i][1], i))
    for i in by_remainder[:left]:
        counts[i] += 1
    return counts


AREA_CODES = (
    "430102 430103 430104 430105 430111 430112 430121 430124 430181 430202 430302 430321 "
    "430421 430502 430602 430721 431002 431102 431202 433101"
).split()
MOBILE_PREFIXES = (
    "130 131 132 133 134 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 "
    "176 177 178 180 181 182 183 185 186 187 188 189 191 198 199"
).split()
BORN_FROM, BORN_DAYS = dt.date(1965, 1, 1), (dt.date(2000, 12, 31) - dt.date(1965, 1, 1)).days
CERT_PREFIX = {
    Q.PLANT_OPERATOR: "XCZS",
    Q.LAB_TECHNICIAN: "XCHY",
    Q.CHLORINE_HANDLER: "XCLQ",
    Q.PIPE_WELDER: "XCHG",
}


SURNAMES = list(ChineseNames.last_names)
SURNAME_WEIGHTS = list(accumulate(ChineseNames.last_names.values()))


class PersonMaker:
    """Draws fictional, well-formed, unique personal data from one random.Random(seed), so a
    seed always gives the same roster.

    Names come from Faker's zh_CN data: surnames weighted by frequency, given names by sex
    (so that they agree with the ID number). Drawing them here rather than through Faker's
    formatter is ten times faster, which matters at 100,000 people, and lets a woman's name
    come from the women's list (zh_CN's name_female() does not).
    """

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.phones: set[str] = set()
        self.ids: set[str] = set()

    def name(self, male: bool) -> str:
        surname = self.rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]
        given = ChineseNames.first_names_male if male else ChineseNames.first_names_female
        return surname + self.rng.choice(given)

    def phone(self) -> str:
        while True:
            phone = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def id_number(self, male: bool) -> str:
        """Area, birthdate, a sequence whose last digit is odd for men, the check digit."""
        while True:
            born = BORN_FROM + dt.timedelta(days=self.rng.randrange(BORN_DAYS + 1))
            seq = self.rng.randrange(500) * 2 + (1 if male else 0)
            first17 = f"{self.rng.choice(AREA_CODES)}{born:%Y%m%d}{seq:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def status(self) -> str:
        """About 3% on leave and 1% seconded; everybody else active."""
        draw = self.rng.random()
        if draw < 0.03:
            return EmploymentStatus.ON_LEAVE
        return EmploymentStatus.SECONDED if draw < 0.04 else EmploymentStatus.ACTIVE

    def post(self, profile: Profile, first: bool) -> Post:
        if first:
            return profile.head
        return self.rng.choices(profile.posts, cum_weights=profile.cum_weights)[0]

    def certificate(self, kind: str, id_number: str) -> tuple[str, dt.date]:
        """A certificate number and its expiry: mostly years ahead, a few lapsed or due. An
        electrician's permit and a driving licence carry the holder's ID number, as real ones do."""
        if kind == Q.ELECTRICIAN:
            number = "T" + id_number
        elif kind == Q.DRIVER:
            number = id_number
        else:
            year, serial = self.rng.randint(2012, 2024), self.rng.randrange(10**6)
            number = f"{CERT_PREFIX[kind]}{year}{serial:06d}"
        return number, clock.today() + dt.timedelta(days=self.rng.randint(-30, 5 * 365))


def make_people(org: Organization, units: dict[str, Unit], staff: int, seed: int):
    """The people, unsaved, and their qualifications as (employee_no, kind, number, until)."""
    maker = PersonMaker(seed)
    counts = allocate(staff, [s.weight for s in UNITS])
    people, quals = [], []
    for spec, count in zip(UNITS, counts, strict=True):
        profile = PROFILES[spec.profile]
        for i in range(count):
            male = maker.rng.random() < 0.62
            post = maker.post(profile, first=i == 0)
            person = Person(
                organization=org,
                unit=units[spec.code],
                employee_no=f"XC{len(people) + 1:06d}",
                name=maker.name(male),
                position=post.title,
                phone=maker.phone(),
                id_number=maker.id_number(male),
                employment_status=maker.status(),
                is_critical=post.critical,
            )
            people.append(person)
            quals += [
                (person.employee_no, kind, *maker.certificate(kind, person.id_number))
                for kind in post.quals
            ]
    return people, quals


def create_people(org: Organization, units: dict[str, Unit], staff: int, seed: int) -> None:
    # bulk_create skips the audit signals: seeding fictional data is not an audited change,
    # and one log entry per seeded person would make a 100,000-person benchmark crawl.
    people, quals = make_people(org, units, staff, seed)
    Person.objects.bulk_create(people, batch_size=BATCH)
    pks = dict(Person.objects.filter(organization=org).values_list("employee_no", "pk"))
    Qualification.objects.bulk_create(
        [
            Qualification(
                organization_id=org.pk,
                person_id=pks[no],
                kind=kind,
                certificate_no=number,
                valid_until=until,
            )
            for no, kind, number, until in quals
        ],
        batch_size=BATCH,
    )
