import VigilCore
import VigilWire

extension ScheduledEvent {
    /// A telehealth reading as FHIR R4 Observations, one message each (a gateway that speaks FHIR);
    /// nil for every other event. Ids are `{idPrefix}-spo2`, `{idPrefix}-bp`, …
    public func fhirObservations(idPrefix: String, clockOffset: EpochMillis = 0) -> [FHIRObservation]? {
        guard type == .vitals, let vitals else { return nil }
        return FHIRObservation.readings(of: vitals, idPrefix: idPrefix, effective: RFC3339.format(millis: at + clockOffset))
    }
}
