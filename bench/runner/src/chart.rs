//! The ratio chart (`bench/results/ratios.svg`), drawn with plotters' SVG backend.

use std::path::Path;

use anyhow::{Result, anyhow};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::impls::Impl;
use crate::suite::SuiteResult;

/// Colors by column, fixed so that charts from different runs look alike.
fn color(imp: Impl) -> RGBColor {
    match imp {
        Impl::MochiJit => RGBColor(214, 39, 40),
        Impl::MochiInterp => RGBColor(255, 152, 150),
        Impl::MochiAlways => RGBColor(255, 127, 14),
        Impl::MochiAlwaysBefore => RGBColor(255, 187, 120),
        Impl::MochiOpt => RGBColor(140, 86, 75),
        Impl::Python => RGBColor(31, 119, 180),
        Impl::Lua => RGBColor(44, 160, 44),
        Impl::LuajitInterp => RGBColor(152, 223, 138),
        Impl::Luajit => RGBColor(148, 103, 189),
        Impl::C => RGBColor(60, 60, 60),
    }
}

/// Draws, per program, each implementation's time relative to `reference` on a log axis (one
/// marker per implementation, a line at 1.0), plus a final "geomean" column.
pub fn draw_ratios(result: &SuiteResult, reference: Impl, path: &Path) -> Result<()> {
    let mut labels: Vec<String> = result.programs.clone();
    labels.push("geomean".to_string());
    let mut series: Vec<(Impl, Vec<(f64, f64)>)> = Vec::new();
    let (mut lo, mut hi) = (1.0f64, 1.0f64);
    for &imp in &result.impls {
        let mut points = Vec::new();
        for p in 0..result.programs.len() {
            if let Some(r) = result.ratio(p, imp, reference) {
                points.push((p as f64, r));
            }
        }
        if let Some((g, _)) = result.geomean_ratio(imp, reference) {
            points.push((result.programs.len() as f64, g));
        }
        for &(_, r) in &points {
            lo = lo.min(r);
            hi = hi.max(r);
        }
        if !points.is_empty() {
            series.push((imp, points));
        }
    }
    let lo = lo / 1.5;
    let hi = hi * 5.0; // headroom for the legend
    let n = labels.len();
    let width = (160 + 70 * n) as u32;

    let root = SVGBackend::new(path, (width.max(900), 560)).into_drawing_area();
    let err = |e: &dyn std::fmt::Display| anyhow!("drawing {}: {e}", path.display());
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let caption = format!(
        "Wall time relative to {} (log scale; below 1 = faster)",
        reference.label()
    );
    let mut chart = ChartBuilder::on(&root)
        .caption(caption, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(56)
        .y_label_area_size(70)
        .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), (lo..hi).log_scale())
        .map_err(|e| err(&e))?;
    // Program names are drawn by hand below the axis, in two staggered rows, so that long names
    // neither overlap each other nor need rotated text.
    chart
        .configure_mesh()
        .x_labels(n)
        .x_label_formatter(&|_| String::new())
        .y_desc(format!("time / time({})", reference.label()))
        .y_label_formatter(&|y| crate::report::fmt_ratio(*y))
        .draw()
        .map_err(|e| err(&e))?;
    let label_style =
        TextStyle::from(("sans-serif", 13).into_font()).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, label) in labels.iter().enumerate() {
        let (px, py) = chart.backend_coord(&(i as f64, lo));
        let y = py + 8 + if i % 2 == 1 { 18 } else { 0 };
        root.draw(&Text::new(label.clone(), (px, y), label_style.clone()))
            .map_err(|e| err(&e))?;
    }
    chart
        .draw_series(LineSeries::new(
            [(-0.5, 1.0), (n as f64 - 0.5, 1.0)],
            BLACK.stroke_width(1),
        ))
        .map_err(|e| err(&e))?;
    let k = series.len().max(1) as f64;
    for (s, (imp, points)) in series.iter().enumerate() {
        let c = color(*imp);
        let offset = (s as f64 - (k - 1.0) / 2.0) * (0.6 / k);
        chart
            .draw_series(
                points
                    .iter()
                    .map(|&(x, y)| Circle::new((x + offset, y), 5, c.filled())),
            )
            .map_err(|e| err(&e))?
            .label(imp.label())
            .legend(move |(x, y)| Circle::new((x + 10, y), 5, c.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|e| err(&e))?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suite::{Cell, Status};

    #[test]
    fn draws_an_svg() {
        let cell = |t: f64| Cell {
            status: Status::Ok,
            times: vec![t],
            rss_kb: vec![1000],
            output: "1".to_string(),
        };
        let result = SuiteResult {
            quick: false,
            reps: 1,
            programs: vec!["a".to_string(), "b".to_string()],
            impls: vec![Impl::MochiJit, Impl::Python, Impl::C],
            cells: vec![
                vec![cell(1.0), cell(3.0), cell(0.1)],
                vec![cell(2.0), cell(2.0), cell(0.5)],
            ],
            jit_stats: Vec::new(),
            opt_stats: Vec::new(),
            gc_stats: Vec::new(),
            coverage: Vec::new(),
            coverage_skipped: None,
            mochi: None,
            before: None,
            notes: Vec::new(),
        };
        let path =
            std::env::temp_dir().join(format!("bench-runner-chart-{}.svg", std::process::id()));
        draw_ratios(&result, Impl::MochiJit, &path).unwrap();
        let svg = std::fs::read_to_string(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("python3") && svg.contains("geomean"));
    }
}
