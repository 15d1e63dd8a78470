"""Economy and finance page: GDP and fiscal figures, business-environment and tax measures."""

from haixi import render_st

render_st.page("economy")
