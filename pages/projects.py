"""New energy and projects page: filterable projects, capacities, stages, national bases."""

from haixi import render_st

render_st.page("projects")
