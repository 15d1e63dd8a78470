"""Sources and method page: the sources, the method, errata, every record and downloads."""

from haixi import render_st

render_st.page("sources")
