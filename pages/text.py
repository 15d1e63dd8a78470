"""The annotated source page: the whole text with its quotes, errata and the records from it."""

from haixi import render_st

render_st.page("text")
