#nullable enable
using System;
using Grpc.Core;
using UnityEngine;
using Vitrine.V1;

namespace Vitrine.Unity
{
    /// <summary>
    /// A surface in the level that shows brand content. When it first comes into view it asks
    /// Vitrine what to show (<see cref="ContentChosen"/> lets the game apply it); when it has been
    /// off screen for a while it reports the exposure measured by its <see cref="ViewabilityTracker"/>;
    /// game code calls <see cref="ReportInteraction"/> when the player clicks, grabs or talks to it.
    /// </summary>
    [RequireComponent(typeof(ViewabilityTracker))]
    public sealed class PlacementSlot : MonoBehaviour
    {
        [Tooltip("The placement id defined in Vitrine for this surface.")]
        [SerializeField] private string _placementId = "";

        [Tooltip("Seconds off screen after which an exposure ends and is reported.")]
        [SerializeField] private float _exposureEndsAfterSeconds = 2f;

        [Tooltip("Seconds to wait before asking again after a failed request.")]
        [SerializeField] private float _retryAfterFailureSeconds = 10f;

        private ViewabilityTracker _viewability = null!;
        private bool _requesting;
        private float _nextRequestTime;
        private float _offScreenSeconds;

        /// <summary>Raised on the main thread when content arrives; the first item is what to show.</summary>
        public event Action<Decision>? ContentChosen;

        /// <summary>The placement id.</summary>
        public string PlacementId => _placementId;

        /// <summary>The decision being shown, or null before one arrives.</summary>
        public Decision? Decision { get; private set; }

        /// <summary>Tells Vitrine the player interacted with what this slot shows.</summary>
        public void ReportInteraction(InteractionKind kind, long durationMs = 0)
        {
            VitrineService? service = VitrineService.Instance;
            RankedItem? shown = ShownItem();
            if (service?.Client == null || service.Events == null || shown == null)
            {
                return;
            }

            service.Client.Track(service.Events.NewInteraction(
                _placementId, shown.ItemId, kind, Decision!.DecisionId, shown.Creative?.CreativeId ?? "", durationMs));
        }

        private void Awake()
        {
            _viewability = GetComponent<ViewabilityTracker>();
        }

        private void Update()
        {
            if (_viewability.IsOnScreen)
            {
                _offScreenSeconds = 0;
                if (Decision == null && !_requesting && Time.unscaledTime >= _nextRequestTime)
                {
                    RequestContent();
                }
            }
            else if (_viewability.Exposure.HasBeenOnScreen)
            {
                _offScreenSeconds += Time.unscaledDeltaTime;
                if (_offScreenSeconds >= _exposureEndsAfterSeconds)
                {
                    ReportExposure();
                }
            }
        }

        private void OnDisable()
        {
            ReportExposure();
        }

        private async void RequestContent()
        {
            VitrineService? service = VitrineService.Instance;
            if (service?.Client == null || service.Events == null)
            {
                return;
            }

            _requesting = true;
            try
            {
                // Resumes on the main thread: Unity's synchronization context carries the continuation.
                Decision decision = await service.Client.RecommendAsync(
                    _placementId, service.Events.PlayerId, service.Events.SessionId);
                if (this == null)
                {
                    return; // destroyed while waiting
                }

                Decision = decision;
                if (decision.Items.Count > 0)
                {
                    ContentChosen?.Invoke(decision);
                }
            }
            catch (RpcException error)
            {
                _nextRequestTime = Time.unscaledTime + _retryAfterFailureSeconds;
                Debug.LogWarning("[Vitrine] no content for " + _placementId + ": " + error.Status);
            }
            finally
            {
                _requesting = false;
            }
        }

        private void ReportExposure()
        {
            VitrineService? service = VitrineService.Instance;
            RankedItem? shown = ShownItem();
            if (service?.Client != null && service.Events != null && shown != null && _viewability.Exposure.HasBeenOnScreen)
            {
                service.Client.Track(service.Events.NewExposure(_viewability.Exposure.ToExposure(
                    _placementId, shown.ItemId, Decision!.DecisionId, shown.Creative?.CreativeId ?? "")));
            }

            _viewability.Exposure.Reset();
            _offScreenSeconds = 0;
        }

        private RankedItem? ShownItem() => Decision != null && Decision.Items.Count > 0 ? Decision.Items[0] : null;
    }
}
