"""Overview page: headline results, the year's milestones and one highlight per section."""

from haixi import render_st

render_st.page("overview")
