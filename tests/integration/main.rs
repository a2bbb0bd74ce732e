//! Integration tests: the real binary on real registries, outputs read back with
//! independent readers (lopdf for PDF, calamine for XLSX).

mod bad;
mod cells;
mod cli_errors;
mod collect;
mod collect_libreoffice;
mod common;
mod diff;
mod diff_pdf;
mod examples;
mod folder;
mod import;
mod kinsoku;
mod layout;
mod layout_cases;
mod outputs;
mod pdf;
mod props;
mod reading_order;
mod seed;
mod survey;
mod tagged;
mod web;
mod xlsx;
mod xlsx_rows;
mod xlsx_sphere;
