from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from aidbridge.insights.worklist import worklist
from aidbridge.policy import Action, can
from aidbridge.registry.cases import STAGE_LABELS


@login_required
def worklist_page(request):
    """The user's worklist: what waits for their step, part by part."""
    if not can(request.user, Action.WORKLIST_VIEW):
        raise Http404
    parts = worklist(request.user)
    for part in parts:
        if part.key in ("cases", "notices"):
            for case in part.rows:
                case.stage_label = STAGE_LABELS.get(case.stage, case.stage)
                if case.notice_started:
                    case.notice_ends = case.notice_started + timedelta(days=case.notice_days)
    return render(request, "insights/worklist.html", {"parts": parts})
