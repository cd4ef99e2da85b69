"""A RAG value in a plan's own words: {{ update.rag_to|rag_label:plan }}."""

from django import template

register = template.Library()


@register.filter
def rag_label(rag, plan):
    return plan.rag_label(rag)
