"""as_dict gives what dataclasses.asdict gives, on real extracted records and on generated ones."""

from __future__ import annotations

from collections import namedtuple
from dataclasses import asdict, dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from taizhang.extract.campaigns import find_campaigns
from taizhang.extract.fiscal import find_fiscal_matters
from taizhang.extract.records import as_dict

Pair = namedtuple("Pair", "left right")


@dataclass(frozen=True)
class Leaf:
    text: str
    number: float | None
    day: date | None


@dataclass(frozen=True)
class Node:
    name: str
    leaves: tuple[Leaf, ...]
    extra: dict[str, list[int]]
    pair: Pair
    child: Leaf | None = None


leaves = st.builds(Leaf, st.text(max_size=5), st.none() | st.floats(allow_nan=False), st.none() | st.dates())
nodes = st.builds(
    Node,
    st.text(max_size=5),
    st.lists(leaves, max_size=3).map(tuple),
    st.dictionaries(st.text(max_size=3), st.lists(st.integers(), max_size=3), max_size=3),
    st.builds(Pair, st.integers(), st.text(max_size=3)),
    st.none() | leaves,
)


@given(nodes)
def test_as_dict_equals_asdict_on_generated_records(node):
    ours, theirs = as_dict(node), asdict(node)
    assert ours == theirs
    assert type(ours["leaves"]) is tuple and type(ours["pair"]) is Pair


def test_as_dict_equals_asdict_on_the_gazettes_records(gazette_source, gazette_extraction):
    source = gazette_source
    documents = list(gazette_extraction.documents)
    records = [*find_fiscal_matters(source, documents), *find_campaigns(source, documents)]
    assert records
    for record in records:
        assert as_dict(record) == asdict(record)
