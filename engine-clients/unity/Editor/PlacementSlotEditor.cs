#nullable enable
using UnityEditor;
using UnityEngine;
using Vitrine.Client;

namespace Vitrine.Unity.Editor
{
    /// <summary>Shows a placement's live viewability and decision in the inspector while playing.</summary>
    [CustomEditor(typeof(PlacementSlot))]
    public sealed class PlacementSlotEditor : UnityEditor.Editor
    {
        public override bool RequiresConstantRepaint() => Application.isPlaying;

        public override void OnInspectorGUI()
        {
            DrawDefaultInspector();
            if (!Application.isPlaying)
            {
                return;
            }

            var slot = (PlacementSlot)target;
            var viewability = slot.GetComponent<ViewabilityTracker>();
            EditorGUILayout.Space();
            EditorGUILayout.LabelField("Live", EditorStyles.boldLabel);
            EditorGUILayout.LabelField("Decision", slot.Decision?.DecisionId ?? "none yet");
            EditorGUILayout.LabelField("Showing", slot.Decision != null && slot.Decision.Items.Count > 0 ? slot.Decision.Items[0].ItemId : "-");
            EditorGUILayout.LabelField("Screen fraction", viewability.ScreenFraction.ToString("P2"));
            EditorGUILayout.LabelField("Visible fraction", viewability.VisibleFraction.ToString("P0"));
            EditorGUILayout.LabelField("View angle", viewability.ViewAngleDeg.ToString("F0") + "°");
            EditorGUILayout.LabelField("Longest continuous", viewability.Exposure.LongestContinuousVisibleMs + " ms");
            EditorGUILayout.LabelField(
                "Viewable",
                viewability.Exposure.IsViewable ? "yes" : "not yet (needs " + Viewability.MinContinuousVisibleMs + " ms)");
        }
    }
}
