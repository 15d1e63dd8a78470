"""Livelihood page: jobs, incomes, insurance, rural revitalisation, education, health, priorities."""

from haixi import render_st

render_st.page("livelihood")
