package awsops

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail"
	"github.com/aws/aws-sdk-go-v2/service/cloudtrail/types"

	"slateo-s3/model"
)

// trails lists the trails visible in the configured region (shadow copies of multi-region
// trails included) and reads each one's logging status and event selectors, by ARN.
func (in *inspector) trails(ctx context.Context) model.Fact[[]model.Trail] {
	list := read(ctx, in, "cloudtrail:DescribeTrails",
		func(ctx context.Context) (*cloudtrail.DescribeTrailsOutput, error) {
			return in.api.CloudTrail.DescribeTrails(ctx, &cloudtrail.DescribeTrailsInput{
				IncludeShadowTrails: aws.Bool(true),
			})
		},
		func(out *cloudtrail.DescribeTrailsOutput) []model.Trail {
			return trailsOf(out.TrailList)
		})
	if !list.IsPresent() {
		return list
	}

	var wg sync.WaitGroup
	for i := range list.Value {
		t := &list.Value[i]
		wg.Go(func() { t.IsLogging = in.trailLogging(ctx, t.ARN) })
		wg.Go(func() { t.Selectors = in.trailSelectors(ctx, t.ARN) })
	}
	wg.Wait()
	return list
}

func trailsOf(list []types.Trail) []model.Trail {
	out := make([]model.Trail, 0, len(list))
	for _, t := range list {
		out = append(out, model.Trail{
			Name:        aws.ToString(t.Name),
			ARN:         aws.ToString(t.TrailARN),
			HomeRegion:  aws.ToString(t.HomeRegion),
			MultiRegion: aws.ToBool(t.IsMultiRegionTrail),
			Bucket:      aws.ToString(t.S3BucketName),
			KeyPrefix:   aws.ToString(t.S3KeyPrefix),
		})
	}
	return out
}

func (in *inspector) trailLogging(ctx context.Context, arn string) model.Fact[bool] {
	return read(ctx, in, "cloudtrail:GetTrailStatus",
		func(ctx context.Context) (*cloudtrail.GetTrailStatusOutput, error) {
			return in.api.CloudTrail.GetTrailStatus(ctx,
				&cloudtrail.GetTrailStatusInput{Name: aws.String(arn)})
		},
		func(out *cloudtrail.GetTrailStatusOutput) bool { return aws.ToBool(out.IsLogging) })
}

func (in *inspector) trailSelectors(
	ctx context.Context, arn string,
) model.Fact[model.EventSelectors] {
	return read(ctx, in, "cloudtrail:GetEventSelectors",
		func(ctx context.Context) (*cloudtrail.GetEventSelectorsOutput, error) {
			return in.api.CloudTrail.GetEventSelectors(ctx,
				&cloudtrail.GetEventSelectorsInput{TrailName: aws.String(arn)})
		},
		func(out *cloudtrail.GetEventSelectorsOutput) model.EventSelectors {
			return model.EventSelectors{
				Basic:    basicSelectors(out.EventSelectors),
				Advanced: advancedSelectors(out.AdvancedEventSelectors),
			}
		})
}

func basicSelectors(in []types.EventSelector) []model.BasicSelector {
	var out []model.BasicSelector
	for _, s := range in {
		b := model.BasicSelector{
			ReadWriteType:           string(s.ReadWriteType),
			IncludeManagementEvents: aws.ToBool(s.IncludeManagementEvents),
		}
		for _, d := range s.DataResources {
			b.DataResources = append(b.DataResources,
				model.DataResource{Type: aws.ToString(d.Type), Values: d.Values})
		}
		out = append(out, b)
	}
	return out
}

func advancedSelectors(in []types.AdvancedEventSelector) []model.AdvancedSelector {
	var out []model.AdvancedSelector
	for _, s := range in {
		a := model.AdvancedSelector{Name: aws.ToString(s.Name)}
		for _, f := range s.FieldSelectors {
			a.FieldSelectors = append(a.FieldSelectors, model.FieldSelector{
				Field:         aws.ToString(f.Field),
				Equals:        f.Equals,
				StartsWith:    f.StartsWith,
				EndsWith:      f.EndsWith,
				NotEquals:     f.NotEquals,
				NotStartsWith: f.NotStartsWith,
				NotEndsWith:   f.NotEndsWith,
			})
		}
		out = append(out, a)
	}
	return out
}
