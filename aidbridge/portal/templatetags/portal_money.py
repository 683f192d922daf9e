"""Money on the portal's pages: yuan with two decimals, and money flows drawn as a Sankey
diagram (inline SVG) beside a table of the same flows."""

from django import template

from aidbridge.opendata import model
from aidbridge.portal import sankey
from aidbridge.portal.money import Flows

register = template.Library()
LABEL_GAP = 6.0


@register.filter
def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and thousands separated: 12345678 -> "123,456.78"."""
    return f"{model.yuan(fen):,.2f}"


@register.inclusion_tag("portal/_flows.html")
def money_flows(flows: Flows, title: str) -> dict:
    """The diagram and the tables of ``flows``, under the heading ``title``."""
    drawn = sankey.layout([(f.source.key, f.target.key, f.value_fen) for f in flows.flows])
    party = {p.key: p for f in flows.flows for p in (f.source, f.target)}
    return {
        "flows": flows,
        "title": title,
        "layout": drawn,
        "nodes": [_node(n, party[n.key], last=n.column == drawn.columns - 1) for n in drawn.nodes],
        "links": [
            {"box": k, "source": party[k.source], "target": party[k.target]} for k in drawn.links
        ],
    }


def _node(box: sankey.Node, party, *, last: bool) -> dict:
    """A node with where its label goes: left of the last column's nodes, else right."""
    return {
        "box": box,
        "party": party,
        "label_x": box.x - LABEL_GAP if last else box.x + box.width + LABEL_GAP,
        "label_y": box.y + box.height / 2,
        "anchor": "end" if last else "start",
    }
