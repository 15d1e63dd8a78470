"""Industry chains page: the chain-leader system, every chain with its projects and facts."""

from haixi import render_st

render_st.page("chains")
