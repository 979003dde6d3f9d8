import VigilCore

/// The board paper: the three charts a manager is asked about, each above its table.
public enum BoardPage {
    public static func render(caseload: CaseloadReport, satisfaction: SatisfactionReport, response: ResponseReport) -> String {
        let yearsOnly = CaseloadReport(title: "People supported per financial year", from: caseload.from, to: caseload.to,
                                       baseline: caseload.baseline, by: nil, amberBand: caseload.amberBand,
                                       rows: caseload.rows.filter { $0.kind != .quarter })
        let allResponses = SatisfactionReport(title: satisfaction.title, from: satisfaction.from, to: satisfaction.to, by: nil,
                                              amberBand: satisfaction.amberBand, rows: satisfaction.rows)
        return HTMLRenderer.page(
            title: "Assistive technology service: performance", subtitle: "\(caseload.from) to \(caseload.to)",
            sections: [
                .init(chart: SVGChart.caseload(caseload), tables: ReportTables.caseload(yearsOnly)),
                .init(chart: SVGChart.satisfaction(satisfaction), tables: ReportTables.satisfaction(allResponses)),
                .init(chart: SVGChart.answerTimes(response), tables: Array(ReportTables.response(response).prefix(2))),
            ])
    }
}
