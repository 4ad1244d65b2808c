package trailsim

import (
	"slices"
	"strings"

	"slateo-s3/awsops/sandbox/simcore"
)

// EventSelector is a basic event selector of a trail, in CloudTrail's wire form. It mirrors
// model.BasicSelector by design: the sandbox does not import the console's model.
type EventSelector struct {
	ReadWriteType                 string         `json:"ReadWriteType"`
	IncludeManagementEvents       bool           `json:"IncludeManagementEvents"`
	DataResources                 []DataResource `json:"DataResources"`
	ExcludeManagementEventSources []string       `json:"ExcludeManagementEventSources"`
}

// DataResource selects data events of one resource type, by ARN prefixes.
type DataResource struct {
	Type   string   `json:"Type"`
	Values []string `json:"Values"`
}

// AdvancedEventSelector is an advanced event selector of a trail.
type AdvancedEventSelector struct {
	Name           string          `json:"Name,omitempty"`
	FieldSelectors []FieldSelector `json:"FieldSelectors"`
}

// FieldSelector is one condition of an advanced event selector.
type FieldSelector struct {
	Field         string   `json:"Field"`
	Equals        []string `json:"Equals,omitempty"`
	StartsWith    []string `json:"StartsWith,omitempty"`
	EndsWith      []string `json:"EndsWith,omitempty"`
	NotEquals     []string `json:"NotEquals,omitempty"`
	NotStartsWith []string `json:"NotStartsWith,omitempty"`
	NotEndsWith   []string `json:"NotEndsWith,omitempty"`
}

func (f FieldSelector) values() int {
	return len(f.Equals) + len(f.StartsWith) + len(f.EndsWith) + len(f.NotEquals) +
		len(f.NotStartsWith) + len(f.NotEndsWith)
}

// defaultSelector is the selector a new trail has: all management events, no data events.
func defaultSelector() EventSelector {
	return EventSelector{
		ReadWriteType: "All", IncludeManagementEvents: true,
		DataResources: []DataResource{}, ExcludeManagementEventSources: []string{},
	}
}

// rawSelector reads IncludeManagementEvents as optional, since it defaults to true.
type rawSelector struct {
	ReadWriteType                 string         `json:"ReadWriteType"`
	IncludeManagementEvents       *bool          `json:"IncludeManagementEvents"`
	DataResources                 []DataResource `json:"DataResources"`
	ExcludeManagementEventSources []string       `json:"ExcludeManagementEventSources"`
}

type putSelectorsRequest struct {
	TrailName              string                  `json:"TrailName"`
	EventSelectors         []rawSelector           `json:"EventSelectors"`
	AdvancedEventSelectors []AdvancedEventSelector `json:"AdvancedEventSelectors"`
}

type selectorsResponse struct {
	TrailARN               string                  `json:"TrailARN"`
	EventSelectors         []EventSelector         `json:"EventSelectors,omitempty"`
	AdvancedEventSelectors []AdvancedEventSelector `json:"AdvancedEventSelectors,omitempty"`
}

func (t *trail) selectors() selectorsResponse {
	return selectorsResponse{
		TrailARN: t.arn(), EventSelectors: t.EventSelectors,
		AdvancedEventSelectors: t.AdvancedSelectors,
	}
}

func (s *Service) putEventSelectors(c *call) (any, error) {
	var req putSelectorsRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	basic := make([]EventSelector, 0, len(req.EventSelectors))
	for _, r := range req.EventSelectors {
		include := r.IncludeManagementEvents == nil || *r.IncludeManagementEvents
		basic = append(basic, EventSelector{
			ReadWriteType: r.ReadWriteType, IncludeManagementEvents: include,
			DataResources: r.DataResources, ExcludeManagementEventSources: r.ExcludeManagementEventSources,
		})
	}
	return s.writeTrail(c, req.TrailName, func(t *trail) (any, error) {
		if err := s.setSelectors(t, basic, req.AdvancedEventSelectors); err != nil {
			return nil, err
		}
		return t.selectors(), nil
	})
}

// setSelectors validates and stores a trail's selectors, basic or advanced. Call with s.mu
// held.
func (s *Service) setSelectors(t *trail, basic []EventSelector,
	advanced []AdvancedEventSelector) error {
	switch {
	case len(basic) > 0 && len(advanced) > 0:
		return newError("InvalidParameterCombinationException",
			"You cannot specify both event selectors and advanced event selectors for a trail.")
	case len(basic) == 0 && len(advanced) == 0:
		return newError("InvalidParameterCombinationException",
			"You must specify either event selectors or advanced event selectors for a trail.")
	}
	var err error
	if len(basic) > 0 {
		basic, err = checkBasic(basic)
	} else {
		err = checkAdvanced(advanced)
	}
	if err != nil {
		return err
	}
	t.EventSelectors, t.AdvancedSelectors = basic, advanced
	t.CustomEventSelectors = true
	s.dirty = true
	return nil
}

func selectorError(message string) *simcore.JSONError {
	return newError("InvalidEventSelectorsException", message)
}

var dataResourceTypes = []string{
	"AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table",
}

// checkBasic validates basic selectors and fills in the defaults CloudTrail stores.
func checkBasic(selectors []EventSelector) ([]EventSelector, error) {
	if len(selectors) > 5 {
		return nil, selectorError("A trail can have up to 5 event selectors.")
	}
	resources := 0
	for i := range selectors {
		sel := &selectors[i]
		if sel.ReadWriteType == "" {
			sel.ReadWriteType = "All"
		}
		if !slices.Contains([]string{"ReadOnly", "WriteOnly", "All"}, sel.ReadWriteType) {
			return nil, selectorError("Value " + sel.ReadWriteType + " for ReadWriteType is " +
				"invalid. Valid values are ReadOnly, WriteOnly and All.")
		}
		if sel.DataResources == nil {
			sel.DataResources = []DataResource{}
		}
		if sel.ExcludeManagementEventSources == nil {
			sel.ExcludeManagementEventSources = []string{}
		}
		for _, dr := range sel.DataResources {
			if err := checkDataResource(dr); err != nil {
				return nil, err
			}
			resources += len(dr.Values)
		}
	}
	if resources > 250 {
		return nil, selectorError("A trail is limited to 250 data resources.")
	}
	return selectors, nil
}

func checkDataResource(dr DataResource) error {
	if !slices.Contains(dataResourceTypes, dr.Type) {
		return selectorError("Value " + dr.Type + " for DataResources.Type is invalid.")
	}
	for _, v := range dr.Values {
		if dr.Type == "AWS::S3::Object" && v != "arn:aws:s3" && v != "arn:aws:s3:::" &&
			!strings.HasPrefix(v, "arn:aws:s3:::") {
			return selectorError("Value " + v + " for DataResources.Values is invalid.")
		}
	}
	return nil
}

var advancedFields = []string{
	"eventCategory", "eventSource", "eventName", "eventType", "readOnly", "resources.type",
	"resources.ARN", "userIdentity.arn", "errorCode", "sessionCredentialFromConsole",
	"vpcEndpointId", "eventTypeName",
}

// checkAdvanced validates advanced selectors: known fields, an eventCategory condition in
// each, resources.type with Equals only, at most 500 values in all.
func checkAdvanced(selectors []AdvancedEventSelector) error {
	total := 0
	for _, sel := range selectors {
		if len(sel.FieldSelectors) == 0 {
			return selectorError("Each advanced event selector must have at least one field selector.")
		}
		category := false
		for _, f := range sel.FieldSelectors {
			if !slices.Contains(advancedFields, f.Field) {
				return selectorError("Field " + f.Field + " is not a valid field name.")
			}
			if f.values() == 0 {
				return selectorError("Field " + f.Field + " must have at least one condition.")
			}
			if f.Field == "resources.type" && f.values() != len(f.Equals) {
				return selectorError("Field resources.type only supports the Equals operator.")
			}
			category = category || f.Field == "eventCategory"
			total += f.values()
		}
		if !category {
			return selectorError("Each advanced event selector must have an eventCategory field.")
		}
	}
	if total > 500 {
		return selectorError("A trail can have up to 500 values for all conditions in all " +
			"advanced event selectors.")
	}
	return nil
}

type trailNameRequest struct {
	TrailName string `json:"TrailName"`
}

func (s *Service) getEventSelectors(c *call) (any, error) {
	var req trailNameRequest
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	return s.readTrail(c, req.TrailName, func(t *trail) (any, error) {
		return t.selectors(), nil
	})
}
