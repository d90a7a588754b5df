"""Reading an office's workbook: the header's columns found by their words, and a row's cells."""

from taizhang.services.campaign_inspectors import INSPECTOR_COLUMNS
from taizhang.services.campaign_work import OBJECT_COLUMNS
from taizhang.services.experts import COLUMNS as EXPERT_COLUMNS
from taizhang.services.workbooks import header_columns, row_cells


def test_header_columns_an_earlier_column_claims_a_cell_first():
    header = ("项目类型", "企业名称", "所在县区", "业主单位", "统一社会信用代码", "行业主管部门")
    assert header_columns(header, OBJECT_COLUMNS) == {
        "credit_code": 4,
        "industry_unit": 5,
        "county": 2,
        "kind": 0,
        "name": 1,
        "owner": 3,
    }


def test_header_columns_skip_empty_cells_and_leave_out_missing_columns():
    assert header_columns((None, " 姓名 ", "", "工作单位"), INSPECTOR_COLUMNS) == {"name": 1, "unit": 3}
    assert header_columns(("专家姓名", "专业领域", "联系电话"), EXPERT_COLUMNS) == {
        "name": 0,
        "field": 1,
        "phone": 2,
    }


def test_row_cells_strip_text_and_fill_empty_or_missing_cells():
    assert row_cells((" 张三 ", None, 42), {"name": 0, "unit": 1, "phone": 2, "county": 5}) == {
        "name": "张三",
        "unit": "",
        "phone": "42",
        "county": "",
    }
