#nullable enable
using UnityEngine;
using Vitrine.Client;

namespace Vitrine.Unity
{
    /// <summary>
    /// Measures, every frame, how much of the screen a renderer covers, how much of it is visible
    /// (inside the view and not hidden behind colliders) and the angle it is seen at, and feeds
    /// the engine-free <see cref="ExposureTracker"/> that applies the IAB/MRC rule.
    /// </summary>
    [RequireComponent(typeof(Renderer))]
    public sealed class ViewabilityTracker : MonoBehaviour
    {
        // A 3×3 grid of rays: coarse, but nine raycasts a frame per placement stay cheap.
        private const int OcclusionSamplesPerAxis = 3;

        [Tooltip("The camera the player sees through; empty means Camera.main.")]
        [SerializeField] private Camera? _camera;

        [Tooltip("The placement's front face normal in local space (a Unity Quad faces -Z).")]
        [SerializeField] private Vector3 _localFrontNormal = Vector3.back;

        [Tooltip("For stands and other things seen from every side: the view angle is always 0.")]
        [SerializeField] private bool _seenFromEverySide;

        [Tooltip("Cast rays to find what hides the placement; needs colliders on the occluders.")]
        [SerializeField] private bool _checkOcclusion = true;

        [SerializeField] private LayerMask _occluderLayers = ~0;

        private readonly Vector3[] _corners = new Vector3[8];
        private Renderer _renderer = null!;

        /// <summary>The exposure measured so far; <see cref="PlacementSlot"/> reports and resets it.</summary>
        public ExposureTracker Exposure { get; } = new ExposureTracker();

        /// <summary>The share of the screen covered this frame, 0..1.</summary>
        public float ScreenFraction { get; private set; }

        /// <summary>The share of the placement visible this frame, 0..1.</summary>
        public float VisibleFraction { get; private set; }

        /// <summary>The angle between the view ray and the placement's normal this frame, in degrees.</summary>
        public float ViewAngleDeg { get; private set; }

        /// <summary>Whether any of it is on screen this frame.</summary>
        public bool IsOnScreen => ScreenFraction > 0 && VisibleFraction > 0;

        private void Awake()
        {
            _renderer = GetComponent<Renderer>();
        }

        private void LateUpdate()
        {
            Camera? viewer = _camera != null ? _camera : Camera.main;
            if (viewer == null || !_renderer.enabled || !_renderer.isVisible)
            {
                ScreenFraction = VisibleFraction = 0;
            }
            else
            {
                Measure(viewer);
            }

            Exposure.AddFrame(ScreenFraction, VisibleFraction, ViewAngleDeg, Time.unscaledDeltaTime);
        }

        private void Measure(Camera viewer)
        {
            Bounds bounds = _renderer.bounds;
            if (!TryProjectBounds(viewer, bounds, out Rect projected))
            {
                ScreenFraction = VisibleFraction = 0;
                return;
            }

            // Viewport coordinates span the screen as 0..1, so an area in them is a share of the screen.
            Rect clipped = Rect.MinMaxRect(
                Mathf.Max(projected.xMin, 0), Mathf.Max(projected.yMin, 0),
                Mathf.Min(projected.xMax, 1), Mathf.Min(projected.yMax, 1));
            float projectedArea = projected.width * projected.height;
            float clippedArea = clipped.width > 0 && clipped.height > 0 ? clipped.width * clipped.height : 0;
            ScreenFraction = clippedArea;
            float insideView = projectedArea > 0 ? clippedArea / projectedArea : 0;
            VisibleFraction = insideView > 0 && _checkOcclusion ? insideView * UnoccludedShare(viewer, bounds, clipped) : insideView;

            Vector3 toViewer = viewer.transform.position - bounds.center;
            ViewAngleDeg = _seenFromEverySide ? 0 : Vector3.Angle(transform.TransformDirection(_localFrontNormal), toViewer);
        }

        private bool TryProjectBounds(Camera viewer, Bounds bounds, out Rect projected)
        {
            Vector3 min = bounds.min;
            Vector3 max = bounds.max;
            _corners[0] = new Vector3(min.x, min.y, min.z);
            _corners[1] = new Vector3(max.x, min.y, min.z);
            _corners[2] = new Vector3(min.x, max.y, min.z);
            _corners[3] = new Vector3(max.x, max.y, min.z);
            _corners[4] = new Vector3(min.x, min.y, max.z);
            _corners[5] = new Vector3(max.x, min.y, max.z);
            _corners[6] = new Vector3(min.x, max.y, max.z);
            _corners[7] = new Vector3(max.x, max.y, max.z);

            float xMin = float.MaxValue, yMin = float.MaxValue, xMax = float.MinValue, yMax = float.MinValue;
            bool anyInFront = false;
            foreach (Vector3 corner in _corners)
            {
                Vector3 viewport = viewer.WorldToViewportPoint(corner);
                if (viewport.z <= 0)
                {
                    continue; // behind the camera: the rest of the box still bounds what is in front
                }

                anyInFront = true;
                xMin = Mathf.Min(xMin, viewport.x);
                yMin = Mathf.Min(yMin, viewport.y);
                xMax = Mathf.Max(xMax, viewport.x);
                yMax = Mathf.Max(yMax, viewport.y);
            }

            projected = anyInFront ? Rect.MinMaxRect(xMin, yMin, xMax, yMax) : default;
            return anyInFront;
        }

        private float UnoccludedShare(Camera viewer, Bounds bounds, Rect clipped)
        {
            int unoccluded = 0;
            int sampled = 0;
            for (int column = 0; column < OcclusionSamplesPerAxis; column++)
            {
                for (int row = 0; row < OcclusionSamplesPerAxis; row++)
                {
                    var viewportPoint = new Vector2(
                        Mathf.Lerp(clipped.xMin, clipped.xMax, (column + 0.5f) / OcclusionSamplesPerAxis),
                        Mathf.Lerp(clipped.yMin, clipped.yMax, (row + 0.5f) / OcclusionSamplesPerAxis));
                    Ray ray = viewer.ViewportPointToRay(viewportPoint);
                    if (!bounds.IntersectRay(ray, out float distanceToPlacement))
                    {
                        continue; // the sample misses the box itself (its projection is only a rectangle)
                    }

                    sampled++;
                    bool hidden = Physics.Raycast(ray, out RaycastHit hit, distanceToPlacement, _occluderLayers, QueryTriggerInteraction.Ignore)
                        && !hit.transform.IsChildOf(transform);
                    if (!hidden)
                    {
                        unoccluded++;
                    }
                }
            }

            return sampled > 0 ? (float)unoccluded / sampled : 1;
        }
    }
}
